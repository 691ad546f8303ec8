import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * NOTIF-6. `address_bounce`: per recipient hash, since when its soft bounces have gone on (a run
 * ends after BOUNCE_SOFT_DAYS without one), so a mailbox that stays full becomes a hard bounce.
 * `bounce_mark`: a hard bounce auth has still to be told about (it owns the undeliverable flag),
 * written with the bounce and kept until auth answered, so an auth outage loses no mark.
 * A GIN index finds the messages sent to a hash (a mail event naming only the recipient).
 */
export class Bounces1796278602713 implements MigrationInterface {
  name = 'Bounces1796278602713';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE IF NOT EXISTS notification.address_bounce (
         recipient_hash text PRIMARY KEY,
         soft_since timestamptz NOT NULL,
         last_soft_at timestamptz NOT NULL
       )`,
    );
    await q.query(
      `CREATE TABLE IF NOT EXISTS notification.bounce_mark (
         id uuid PRIMARY KEY,
         message_id text NOT NULL,
         user_id text NOT NULL,
         recipient_hashes text[] NOT NULL,
         created_at timestamptz NOT NULL,
         attempts integer NOT NULL DEFAULT 0,
         applied_at timestamptz
       )`,
    );
    await q.query(
      `CREATE INDEX IF NOT EXISTS bounce_mark_pending_idx ON notification.bounce_mark (attempts, created_at)
         WHERE applied_at IS NULL`,
    );
    // Bounces are matched to messages by recipient hash through message_recipient_idx (the
    // status-history migration made it).
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS notification.bounce_mark`);
    await q.query(`DROP TABLE IF EXISTS notification.address_bounce`);
  }
}
