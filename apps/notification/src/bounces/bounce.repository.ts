import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface PendingMark {
  id: string;
  messageId: string;
  userId: string;
  recipientHashes: string[];
}

/** The message a bounce is about, as far as bounces need it. */
export interface BouncedMessage {
  messageId: string;
  channel: string;
  template: string;
  status: string;
  userId: string | null;
  recipientHashes: string[];
  tenants: string[] | null;
}

/** NOTIF-6 storage: soft-bounce runs per address and hard-bounce marks auth has still to apply. */
@Injectable()
export class BounceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async message(messageId: string): Promise<BouncedMessage | null> {
    const rows: MessageRow[] = await this.dataSource.query(
      `SELECT message_id, channel, template, status, user_id, recipient_hashes, tenants
         FROM notification.message WHERE message_id = $1`,
      [messageId],
    );
    return rows[0] ? toMessage(rows[0]) : null;
  }

  /** The newest e-mail sent to any of `hashes` (a mail event naming only its recipient). */
  async latestEmailTo(hashes: string[]): Promise<BouncedMessage | null> {
    const rows: MessageRow[] = await this.dataSource.query(
      `SELECT message_id, channel, template, status, user_id, recipient_hashes, tenants
         FROM notification.message
        WHERE channel = 'email' AND recipient_hashes && $1::text[]
        ORDER BY created_at DESC LIMIT 1`,
      [hashes],
    );
    return rows[0] ? toMessage(rows[0]) : null;
  }

  /**
   * Notes a soft bounce for the address and answers since when its soft bounces have gone on. A run
   * starts anew when the previous soft bounce is older than `windowDays` (the mailbox took mail since).
   */
  async noteSoft(
    manager: EntityManager,
    recipientHash: string,
    now: Date,
    windowDays: number,
  ): Promise<Date> {
    const rows: { soft_since: Date }[] = await manager.query(
      `INSERT INTO notification.address_bounce AS b (recipient_hash, soft_since, last_soft_at)
       VALUES ($1, $2, $2)
       ON CONFLICT (recipient_hash) DO UPDATE SET
         soft_since = CASE WHEN b.last_soft_at < $2 - make_interval(days => $3) THEN $2 ELSE b.soft_since END,
         last_soft_at = greatest(b.last_soft_at, $2)
       RETURNING soft_since`,
      [recipientHash, now, windowDays],
    );
    return rows[0].soft_since;
  }

  /** A hard bounce ends the address's soft run (its mark now stands until cleared). */
  async endSoftRun(manager: EntityManager, hashes: string[]): Promise<void> {
    await manager.query(`DELETE FROM notification.address_bounce WHERE recipient_hash = ANY($1::text[])`, [
      hashes,
    ]);
  }

  async addMark(manager: EntityManager, mark: Omit<PendingMark, 'id'>, now: Date): Promise<string> {
    const id = randomUUID();
    await manager.query(
      `INSERT INTO notification.bounce_mark (id, message_id, user_id, recipient_hashes, created_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [id, mark.messageId, mark.userId, mark.recipientHashes, now],
    );
    return id;
  }

  async pendingMarks(limit: number): Promise<PendingMark[]> {
    const rows: { id: string; message_id: string; user_id: string; recipient_hashes: string[] }[] =
      await this.dataSource.query(
        `SELECT id, message_id, user_id, recipient_hashes FROM notification.bounce_mark
          WHERE applied_at IS NULL ORDER BY attempts, created_at LIMIT $1`,
        [limit],
      );
    return rows.map((r) => ({
      id: r.id,
      messageId: r.message_id,
      userId: r.user_id,
      recipientHashes: r.recipient_hashes,
    }));
  }

  async markApplied(id: string, now: Date): Promise<void> {
    await this.dataSource.query(`UPDATE notification.bounce_mark SET applied_at = $2 WHERE id = $1`, [
      id,
      now,
    ]);
  }

  async markAttempted(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE notification.bounce_mark SET attempts = attempts + 1 WHERE id = $1`, [
      id,
    ]);
  }
}

interface MessageRow {
  message_id: string;
  channel: string;
  template: string;
  status: string;
  user_id: string | null;
  recipient_hashes: string[];
  tenants: string[] | null;
}

function toMessage(row: MessageRow): BouncedMessage {
  return {
    messageId: row.message_id,
    channel: row.channel,
    template: row.template,
    status: row.status,
    userId: row.user_id,
    recipientHashes: row.recipient_hashes,
    tenants: row.tenants,
  };
}
