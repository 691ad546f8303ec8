import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * NOTIF-5: each message's status history (one row per status it reached, with the time, a short
 * detail code and the provider's message id), the `suppressed` status, the masked recipient operators
 * see (never the address itself), and the provider's message id on the message, by which a delivery
 * receipt finds it. Messages already recorded get a history of what is known: queued, then their
 * present status.
 */
export class MessageStatusHistory1796278126066 implements MigrationInterface {
  name = 'MessageStatusHistory1796278126066';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE notification.message DROP CONSTRAINT IF EXISTS message_status_check`,
      `ALTER TABLE notification.message ADD CONSTRAINT message_status_check
         CHECK (status IN ('queued', 'sent', 'delivered', 'failed', 'bounced', 'expired', 'suppressed'))`,
      `ALTER TABLE notification.message ADD COLUMN IF NOT EXISTS recipient_masked text`,
      `ALTER TABLE notification.message ADD COLUMN IF NOT EXISTS provider_message_id text`,
      `CREATE INDEX IF NOT EXISTS message_provider_id_idx ON notification.message (provider_message_id)
         WHERE provider_message_id IS NOT NULL`,
      `CREATE INDEX IF NOT EXISTS message_created_idx ON notification.message (created_at DESC, message_id DESC)`,
      `CREATE INDEX IF NOT EXISTS message_recipient_idx ON notification.message USING gin (recipient_hashes)`,
      `CREATE TABLE IF NOT EXISTS notification.message_status (
         id bigserial PRIMARY KEY,
         message_id text NOT NULL REFERENCES notification.message (message_id) ON DELETE CASCADE,
         status text NOT NULL
           CHECK (status IN ('queued', 'sent', 'delivered', 'failed', 'bounced', 'expired', 'suppressed')),
         at timestamptz NOT NULL,
         detail text CHECK (length(detail) <= 200),
         provider_message_id text CHECK (length(provider_message_id) <= 200))`,
      `CREATE INDEX IF NOT EXISTS message_status_message_idx ON notification.message_status (message_id, id)`,
      `INSERT INTO notification.message_status (message_id, status, at)
         SELECT message_id, 'queued', created_at FROM notification.message m
          WHERE NOT EXISTS (SELECT 1 FROM notification.message_status s WHERE s.message_id = m.message_id)`,
      `INSERT INTO notification.message_status (message_id, status, at, detail)
         SELECT message_id, status, COALESCE(CASE WHEN status = 'sent' THEN sent_at END, updated_at),
                CASE WHEN status = 'failed' THEN last_error END
           FROM notification.message m
          WHERE status <> 'queued'
            AND NOT EXISTS (SELECT 1 FROM notification.message_status s
                             WHERE s.message_id = m.message_id AND s.status = m.status)`,
    ];
    for (const sql of statements) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS notification.message_status`);
    await q.query(`DROP INDEX IF EXISTS notification.message_recipient_idx`);
    await q.query(`DROP INDEX IF EXISTS notification.message_created_idx`);
    await q.query(`DROP INDEX IF EXISTS notification.message_provider_id_idx`);
    await q.query(`ALTER TABLE notification.message DROP COLUMN IF EXISTS provider_message_id`);
    await q.query(`ALTER TABLE notification.message DROP COLUMN IF EXISTS recipient_masked`);
    await q.query(`UPDATE notification.message SET status = 'failed' WHERE status = 'suppressed'`);
    await q.query(`ALTER TABLE notification.message DROP CONSTRAINT IF EXISTS message_status_check`);
    await q.query(`ALTER TABLE notification.message ADD CONSTRAINT message_status_check
      CHECK (status IN ('queued', 'sent', 'delivered', 'failed', 'bounced', 'expired'))`);
  }
}
