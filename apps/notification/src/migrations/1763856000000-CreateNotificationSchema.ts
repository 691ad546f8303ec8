import { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTableSql } from '@app/database';

/**
 * The delivery record of each message (NOTIF-4, NOTIF-5). It never holds an address, a phone number
 * or a body: recipients are kept as SHA-256 hashes (enough to match a later bounce, NOTIF-6), and
 * `last_error` is a short provider code, never a provider's free text (which may quote the address).
 */
export class CreateNotificationSchema1763856000000 implements MigrationInterface {
  name = 'CreateNotificationSchema1763856000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE notification.message (
         message_id text PRIMARY KEY CHECK (length(message_id) BETWEEN 1 AND 200),
         channel text NOT NULL CHECK (channel IN ('sms', 'email')),
         template text NOT NULL,
         language text NOT NULL CHECK (language IN ('ja', 'en')),
         status text NOT NULL DEFAULT 'queued'
           CHECK (status IN ('queued', 'sent', 'delivered', 'failed', 'bounced', 'expired')),
         recipient_hashes text[] NOT NULL,
         attempts integer NOT NULL DEFAULT 0,
         last_error text,
         claimed_until timestamptz,
         expires_at timestamptz,
         user_id text,
         correlation_id text,
         created_at timestamptz NOT NULL,
         sent_at timestamptz,
         updated_at timestamptz NOT NULL)`,
      `CREATE INDEX message_user_idx ON notification.message (user_id, created_at DESC) WHERE user_id IS NOT NULL`,
      ...createOutboxTableSql('notification'),
    ];
    for (const sql of statements) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notification.outbox`);
    await q.query(`DROP TABLE notification.message`);
  }
}
