import { MigrationInterface, QueryRunner } from 'typeorm';

/** The sweeper reads the oldest `queued` records: a small partial index keeps that cheap. */
export class IndexQueuedMessages1796260157295 implements MigrationInterface {
  name = 'IndexQueuedMessages1796260157295';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS message_queued_idx ON notification.message (updated_at) WHERE status = 'queued'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS notification.message_queued_idx`);
  }
}
