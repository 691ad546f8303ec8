import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A sealed (AES-256-GCM) copy of a message's job while the message is `queued`, so the sweeper can
 * queue again a job Redis lost; cleared when the message reaches any final status.
 */
export class KeepSealedJob1796262901082 implements MigrationInterface {
  name = 'KeepSealedJob1796262901082';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification.message ADD COLUMN IF NOT EXISTS sealed_job text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification.message DROP COLUMN IF EXISTS sealed_job`);
  }
}
