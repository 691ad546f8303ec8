import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { ProjectedStatement } from '@app/database';

/** The outcome of asking to try a password for a user ID key (AUTH-3). */
export type AttemptReservation = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** AUTH-3 (docomo business admin site seed): 5 consecutive wrong passwords lock the user ID… */
export const MAX_PASSWORD_FAILURES = 5;
/** …for 20 minutes, after which it unlocks by itself with a fresh count (AUTH-3 seed rule). */
export const LOCK_DURATION_MS = 20 * 60 * 1000;
/** AUTH-6 (ours, after the seeds' AUTH-3): 10 consecutive wrong security codes lock the same way. */
export const MAX_CODE_FAILURES = 10;

const T = 'auth.login_throttle';

/**
 * The reservation of one try as a statement, with `$1` the key, `$2` now, `$3` the end of a lock
 * starting now and `$4` MAX_PASSWORD_FAILURES: it returns a row exactly when a try was reserved.
 * One text for `reserveAttempt` and for the password step's single read, which embeds it.
 */
export function reserveAttemptSql(returning: string): string {
  return `INSERT INTO ${T} AS t (key, failures, settled_failures, code_failures, locked_until, touched_at)
       VALUES ($1, 1, 0, 0, CASE WHEN 1 >= $4 THEN $3::timestamptz END, $2)
       ON CONFLICT (key) DO UPDATE SET
         touched_at = $2,
         failures = CASE WHEN t.locked_until <= $2 THEN 1 ELSE t.failures + 1 END,
         settled_failures = CASE WHEN t.locked_until <= $2 THEN 0 ELSE t.settled_failures END,
         code_failures = CASE WHEN t.locked_until <= $2 THEN 0 ELSE t.code_failures END,
         locked_until = CASE
           WHEN (CASE WHEN t.locked_until <= $2 THEN 1 ELSE t.failures + 1 END) >= $4 THEN $3::timestamptz
           ELSE NULL END
       WHERE t.locked_until <= $2 OR (t.locked_until IS NULL AND t.failures < $4)
       RETURNING ${returning}`;
}

/**
 * AUTH-3 lockout, for known and unknown IDs alike. Keys are `normalizeUserId(raw)`.
 *
 * Every decision is one atomic statement on the key's row (INSERT … ON CONFLICT DO UPDATE … WHERE …
 * RETURNING): PostgreSQL serialises the statements on the row, so however many attempts race, the
 * count cannot overshoot. Time is the injected Clock's, passed as a parameter (never SQL now()), so
 * the 20-minute window is tested at its boundary without sleeping and every replica agrees on it.
 *
 * A lock whose `locked_until` has passed is "expired": the next statement that touches the row
 * starts a fresh cycle (all counts back to 0) before applying itself.
 *
 * The methods that change a count take the caller's EntityManager, so the change commits together
 * with its audit events (a count is never moved without its fact being written, nor the reverse);
 * without one they run on their own. `reserveAttempt` alone always commits at once: the password
 * path's guarantee rests on the reservation being visible to every concurrent attempt before the
 * password is checked.
 */
@Injectable()
export class LockoutService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Atomically reserves one of the 5 tries before the password is checked; refuses while locked.
   * A reserved try counts as a failure until `recordSuccess` says otherwise, so a process dying
   * mid-check cannot hand out a free try. The 5th reservation also locks provisionally: the 6th
   * concurrent attempt is refused with a true retryAfter, and a reservation that is never settled
   * still unlocks after 20 minutes instead of blocking the ID forever.
   */
  async reserveAttempt(key: string): Promise<AttemptReservation> {
    const now = this.clock.now();
    const lockUntil = new Date(now.getTime() + LOCK_DURATION_MS);
    const rows: { failures: number }[] = await this.dataSource.query(reserveAttemptSql('t.failures'), [
      key,
      now,
      lockUntil,
      MAX_PASSWORD_FAILURES,
    ]);
    if (rows.length > 0) {
      return { allowed: true };
    }
    // Refused: the decision above was atomic; this read only tells the caller how long to wait.
    // No active lock any more means a concurrent success has just cleared it: try again at once.
    return { allowed: false, retryAfterSeconds: (await this.lockedFor(key)) ?? 1 };
  }

  /**
   * A wrong password: the reserved try stays counted. Settles one reservation; the settlement that
   * makes 5 (re)starts the 20-minute lock from now and returns true — exactly one per lock.
   */
  async recordFailure(key: string, manager?: EntityManager): Promise<boolean> {
    const now = this.clock.now();
    const lockUntil = new Date(now.getTime() + LOCK_DURATION_MS);
    const rows: { settled_failures: number }[] = await this.on(manager).query(
      // A CTE so the driver hands back the RETURNING rows (a bare UPDATE gives [rows, count]).
      `WITH settled AS (
         UPDATE ${T} SET
           settled_failures = settled_failures + 1,
           locked_until = CASE WHEN settled_failures + 1 >= $4 THEN $3::timestamptz ELSE locked_until END
         WHERE key = $1 AND settled_failures < failures AND (locked_until IS NULL OR locked_until > $2)
         RETURNING settled_failures)
       SELECT settled_failures FROM settled`,
      [key, now, lockUntil, MAX_PASSWORD_FAILURES],
    );
    return rows.length > 0 && rows[0].settled_failures >= MAX_PASSWORD_FAILURES;
  }

  /**
   * A right password: the count starts again. Lifts the provisional lock of this cycle, but not a
   * lock earned by wrong security codes, which a password does not answer.
   */
  async recordSuccess(key: string, manager?: EntityManager): Promise<void> {
    const { sql, params } = this.successStatement(key);
    await this.on(manager).query(sql, params);
  }

  /** `recordSuccess` as a statement to send with the fact it belongs to (`OutboxWriter.record`). */
  successStatement(key: string): ProjectedStatement {
    return {
      sql: `UPDATE ${T} SET failures = 0, settled_failures = 0,
         locked_until = CASE WHEN code_failures >= $2 THEN locked_until ELSE NULL END
       WHERE key = $1`,
      params: [key, MAX_CODE_FAILURES],
    };
  }

  /** Seconds until unlock, or null when not locked; for entry points that only need to check. */
  async lockedFor(key: string, manager?: EntityManager): Promise<number | null> {
    const now = this.clock.now();
    const rows: { locked_until: Date }[] = await this.on(manager).query(
      `SELECT locked_until FROM ${T} WHERE key = $1 AND locked_until > $2`,
      [key, now],
    );
    return rows.length > 0 ? secondsUntil(rows[0].locked_until, now) : null;
  }

  /** The keys among `keys` that are locked now, in one query (user lists). */
  async lockedKeys(keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) {
      return new Set();
    }
    const rows: { key: string }[] = await this.dataSource.query(
      `SELECT key FROM ${T} WHERE key = ANY($1::text[]) AND locked_until > $2`,
      [keys, this.clock.now()],
    );
    return new Set(rows.map((r) => r.key));
  }

  /**
   * Takes the key's row lock until `manager`'s transaction ends (creating the row if the key has
   * none) and answers as `lockedFor`. A security-code check holds it from the lock check to the
   * count of its outcome, so the checks of one account queue one behind the other however many
   * flows they come through: the 10th wrong code locks before an 11th is looked at, and no right
   * code is accepted once the lock is set (AUTH-6).
   */
  async holdForCodeCheck(manager: EntityManager, key: string): Promise<number | null> {
    const now = this.clock.now();
    await manager.query(
      `INSERT INTO ${T} (key, failures, settled_failures, code_failures) VALUES ($1, 0, 0, 0)
       ON CONFLICT (key) DO NOTHING`,
      [key],
    );
    const rows: { locked_until: Date | null }[] = await manager.query(
      `SELECT locked_until FROM ${T} WHERE key = $1 FOR UPDATE`,
      [key],
    );
    const until = rows[0]?.locked_until ?? null;
    return until !== null && new Date(until).getTime() > now.getTime() ? secondsUntil(until, now) : null;
  }

  /**
   * A wrong security code (AUTH-6: 10 in a row lock like AUTH-3). While locked, failures do not
   * add up. Returns true for the one failure that locked it.
   */
  async recordCodeFailure(key: string, manager?: EntityManager): Promise<boolean> {
    const now = this.clock.now();
    const lockUntil = new Date(now.getTime() + LOCK_DURATION_MS);
    const rows: { code_failures: number }[] = await this.on(manager).query(
      `INSERT INTO ${T} AS t (key, failures, settled_failures, code_failures, locked_until)
       VALUES ($1, 0, 0, 1, CASE WHEN 1 >= $4 THEN $3::timestamptz END)
       ON CONFLICT (key) DO UPDATE SET
         code_failures = CASE WHEN t.locked_until <= $2 THEN 1 ELSE t.code_failures + 1 END,
         failures = CASE WHEN t.locked_until <= $2 THEN 0 ELSE t.failures END,
         settled_failures = CASE WHEN t.locked_until <= $2 THEN 0 ELSE t.settled_failures END,
         locked_until = CASE
           WHEN (CASE WHEN t.locked_until <= $2 THEN 1 ELSE t.code_failures + 1 END) >= $4 THEN $3::timestamptz
           ELSE NULL END
       WHERE t.locked_until IS NULL OR t.locked_until <= $2
       RETURNING t.code_failures`,
      [key, now, lockUntil, MAX_CODE_FAILURES],
    );
    return rows.length > 0 && rows[0].code_failures >= MAX_CODE_FAILURES;
  }

  /** A right security code: wrong ones must be consecutive to lock. */
  async recordCodeSuccess(key: string, manager?: EntityManager): Promise<void> {
    await this.on(manager).query(`UPDATE ${T} SET code_failures = 0 WHERE key = $1`, [key]);
  }

  /** Admin unlock and completed reset: at once, with a fresh count. */
  async unlock(key: string, manager?: EntityManager): Promise<void> {
    await this.on(manager).query(
      `UPDATE ${T} SET failures = 0, settled_failures = 0, code_failures = 0, locked_until = NULL WHERE key = $1`,
      [key],
    );
  }

  /** The caller's transaction, or a statement of its own. */
  private on(manager: EntityManager | undefined): EntityManager {
    return manager ?? this.dataSource.manager;
  }
}

/** Whole seconds, rounded up so a client told "retry after N" is never early; at least 1. */
function secondsUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((new Date(until).getTime() - now.getTime()) / 1000));
}
