import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ProjectedStatement } from '@app/database';

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

/** When a statement that may lock runs: now, the end of a lock starting now, and the count that locks. */
export interface LockWindow {
  now: Date;
  lockUntil: Date;
  max: number;
}

/**
 * SQL of auth.login_throttle (AUTH-3, AUTH-6). Every decision is one statement on the key's row
 * (INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING), which PostgreSQL serialises: however many
 * attempts race, a count cannot overshoot. A lock whose `locked_until` has passed is "expired": the
 * next statement that touches the row starts a fresh cycle (all counts back to 0) first. Times and
 * thresholds are the caller's (LockoutService), never SQL now(). Methods taking an EntityManager run
 * in the caller's transaction when given one, else on their own.
 */
@Injectable()
export class LockoutRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Reserves one try unless locked (commits at once); true when reserved. */
  async reserve(key: string, { now, lockUntil, max }: LockWindow): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(reserveAttemptSql('t.failures'), [
      key,
      now,
      lockUntil,
      max,
    ]);
    return rows.length > 0;
  }

  /**
   * Settles one reserved try as a failure, locking from now when it makes `max`; returns the
   * settled count, or null when there was no reservation to settle (or the ID is locked).
   */
  async settleFailure(key: string, window: LockWindow, manager?: EntityManager): Promise<number | null> {
    const { sql, params } = this.settleFailureStatement(key, window);
    // A CTE so the driver hands back the RETURNING rows (a bare UPDATE gives [rows, count]).
    const rows: { settled_failures: number }[] = await this.on(manager).query(
      `WITH settled AS (${sql}) SELECT settled_failures FROM settled`,
      params,
    );
    return rows.length > 0 ? rows[0].settled_failures : null;
  }

  /**
   * `settleFailure` as a statement to send with the failure's facts, named `settled`: it returns a
   * row (with `locks`, true when this settlement made `max`) exactly when a try was settled.
   */
  settleFailureStatement(key: string, { now, lockUntil, max }: LockWindow): ProjectedStatement {
    return {
      name: 'settled',
      sql: `UPDATE ${T} SET
         settled_failures = settled_failures + 1,
         locked_until = CASE WHEN settled_failures + 1 >= $4 THEN $3::timestamptz ELSE locked_until END
       WHERE key = $1 AND settled_failures < failures AND (locked_until IS NULL OR locked_until > $2)
       RETURNING settled_failures, settled_failures >= $4 AS locks`,
      params: [key, now, lockUntil, max],
    };
  }

  /**
   * The password count back to 0, lifting the lock unless the code count (`maxCodeFailures` or
   * more) holds it: as a statement to send with the fact it belongs to (`OutboxWriter.record`).
   */
  successStatement(key: string, maxCodeFailures: number): ProjectedStatement {
    return {
      sql: `UPDATE ${T} SET failures = 0, settled_failures = 0,
         locked_until = CASE WHEN code_failures >= $2 THEN locked_until ELSE NULL END
       WHERE key = $1`,
      params: [key, maxCodeFailures],
    };
  }

  /** For a statement that commits on its own (a failure with its facts). */
  get standalone(): EntityManager {
    return this.dataSource.manager;
  }

  async run(statement: ProjectedStatement, manager?: EntityManager): Promise<void> {
    await this.on(manager).query(statement.sql, statement.params);
  }

  /** The end of the key's lock when it is locked at `now`, else null. */
  async lockedUntil(key: string, now: Date, manager?: EntityManager): Promise<Date | null> {
    const rows: { locked_until: Date }[] = await this.on(manager).query(
      `SELECT locked_until FROM ${T} WHERE key = $1 AND locked_until > $2`,
      [key, now],
    );
    return rows.length > 0 ? new Date(rows[0].locked_until) : null;
  }

  /** The keys among `keys` locked at `now`, in one query. */
  async lockedKeys(keys: string[], now: Date): Promise<string[]> {
    const rows: { key: string }[] = await this.dataSource.query(
      `SELECT key FROM ${T} WHERE key = ANY($1::text[]) AND locked_until > $2`,
      [keys, now],
    );
    return rows.map((r) => r.key);
  }

  /**
   * Takes the key's row lock until `manager`'s transaction ends (creating the row if the key has
   * none); returns its `locked_until`, expired or not.
   */
  async hold(manager: EntityManager, key: string): Promise<Date | null> {
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
    return until === null ? null : new Date(until);
  }

  /**
   * Counts one wrong security code, locking from now when the count makes `max`; returns the
   * count, or null while locked (failures do not add up then).
   */
  async countCodeFailure(key: string, window: LockWindow, manager?: EntityManager): Promise<number | null> {
    const { sql, params } = this.codeFailureStatement(key, window);
    const rows: { code_failures: number }[] = await this.on(manager).query(sql, params);
    return rows.length > 0 ? rows[0].code_failures : null;
  }

  /** `countCodeFailure` as a statement to send with the facts of its outcome (`OutboxWriter.recordAll`). */
  codeFailureStatement(key: string, { now, lockUntil, max }: LockWindow): ProjectedStatement {
    return {
      sql: `INSERT INTO ${T} AS t (key, failures, settled_failures, code_failures, locked_until)
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
      params: [key, now, lockUntil, max],
    };
  }

  async resetCodeFailures(key: string, manager?: EntityManager): Promise<void> {
    const { sql, params } = this.codeSuccessStatement(key);
    await this.on(manager).query(sql, params);
  }

  /** `resetCodeFailures` as a statement to send with the facts of its outcome. */
  codeSuccessStatement(key: string): ProjectedStatement {
    return { sql: `UPDATE ${T} SET code_failures = 0 WHERE key = $1`, params: [key] };
  }

  /** Every count back to 0 and no lock. */
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
