import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The notification message that carries each security code, so the login screen can be told when the
 * code left (NOTIF-5, `GET /auth/login/{flowId}`). Null for codes issued before.
 */
export class SecurityCodeMessageId1796278126100 implements MigrationInterface {
  name = 'SecurityCodeMessageId1796278126100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE auth.security_code ADD COLUMN IF NOT EXISTS message_id text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE auth.security_code DROP COLUMN IF EXISTS message_id`);
  }
}
