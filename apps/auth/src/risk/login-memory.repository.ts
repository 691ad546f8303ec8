import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { FingerprintKind } from './login-fingerprint.entity';

/** What `recall` reads of the memory in one round trip. */
export interface MemoryRow {
  has_history: boolean;
  device_known: boolean;
  network_known: boolean;
  recent_failures: number | null;
  last_ip: string | null;
  last_at: Date | null;
}

/** A session as the memory folds it. */
export interface SessionRow {
  ip: string | null;
  user_agent: string | null;
  created_at: Date;
}

/** A fingerprint as stored: HMACs only, with its first and last time seen. */
export interface Fingerprint {
  kind: FingerprintKind;
  valueHmac: string;
  firstSeen: Date;
  lastSeen: Date;
}

/** Every read and write of the login memory (AUTH-11): auth.login_fingerprint and the sessions folded into it. */
@Injectable()
export class LoginMemoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * One round trip for everything the signals read (this runs on every right password): whether
   * the user has any fingerprint, whether these device and network HMACs were seen since
   * `seenSince`, the lockout's settled count of `userIdKey` and the user's last session.
   */
  async recall(
    userId: string,
    userIdKey: string,
    deviceHmac: string,
    networkHmac: string,
    seenSince: Date,
  ): Promise<MemoryRow> {
    const [row]: MemoryRow[] = await this.dataSource.query(
      `SELECT
         EXISTS (SELECT 1 FROM auth.login_fingerprint WHERE user_id = $1) AS has_history,
         EXISTS (SELECT 1 FROM auth.login_fingerprint
                  WHERE user_id = $1 AND kind = 'device' AND value_hmac = $2 AND last_seen > $4) AS device_known,
         EXISTS (SELECT 1 FROM auth.login_fingerprint
                  WHERE user_id = $1 AND kind = 'network' AND value_hmac = $3 AND last_seen > $4) AS network_known,
         (SELECT settled_failures FROM auth.login_throttle WHERE key = $5) AS recent_failures,
         last.ip AS last_ip, last.created_at AS last_at
       FROM (SELECT 1) AS one
       LEFT JOIN LATERAL (
         SELECT ip, created_at FROM auth.session WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1
       ) AS last ON true`,
      [userId, deviceHmac, networkHmac, seenSince, userIdKey],
    );
    return row;
  }

  /**
   * The sessions started since the newest fingerprint less `overlapMs` (all of them without one),
   * newest first, at most `limit`.
   */
  sessionsToFold(userId: string, overlapMs: number, limit: number): Promise<SessionRow[]> {
    return this.dataSource.query(
      `SELECT ip, user_agent, created_at FROM auth.session
        WHERE user_id = $1
          AND created_at >= COALESCE(
                (SELECT max(last_seen) FROM auth.login_fingerprint WHERE user_id = $1) - $2::interval,
                '-infinity')
        ORDER BY created_at DESC
        LIMIT $3`,
      [userId, `${overlapMs} milliseconds`, limit],
    );
  }

  /**
   * Upserts fingerprints (first seen the earliest, last seen the latest). The caller sorts them, so
   * two folds of the same user lock the rows in the same order (no deadlock).
   */
  async upsert(userId: string, prints: Fingerprint[]): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO auth.login_fingerprint AS f (user_id, kind, value_hmac, first_seen, last_seen)
       SELECT $1, x.kind, x.value_hmac, x.first_seen, x.last_seen
         FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[])
              AS x(kind, value_hmac, first_seen, last_seen)
       ON CONFLICT (user_id, kind, value_hmac) DO UPDATE SET
         first_seen = LEAST(f.first_seen, EXCLUDED.first_seen),
         last_seen = GREATEST(f.last_seen, EXCLUDED.last_seen)`,
      [
        userId,
        prints.map((p) => p.kind),
        prints.map((p) => p.valueHmac),
        prints.map((p) => p.firstSeen),
        prints.map((p) => p.lastSeen),
      ],
    );
  }
}
