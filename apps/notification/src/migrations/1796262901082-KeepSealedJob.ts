import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A sealed (AES-256-GCM) copy of a message's job while the message is `queued`, so the sweeper can
 * queue again a job Redis lost; cleared when the message reaches any final status. And the tenants
 * the message concerns, so the audit events the sweeper writes are tagged as the worker's are.
 */
export class KeepSealedJob1796262901082 implements MigrationInterface {
  name = 'KeepSealedJob1796262901082';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification.message ADD COLUMN IF NOT EXISTS sealed_job text`);
    await q.query(`ALTER TABLE notification.message ADD COLUMN IF NOT EXISTS tenants text[]`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification.message DROP COLUMN IF EXISTS tenants`);
    await q.query(`ALTER TABLE notification.message DROP COLUMN IF EXISTS sealed_job`);
  }
}
