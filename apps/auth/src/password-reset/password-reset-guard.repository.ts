import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** The guard of one key after a request: null dates when not set. */
export interface GuardState {
  mismatches: number;
  blockedUntil: Date | null;
  lastCompletedAt: Date | null;
}

/** The result of counting a mismatch: not counted (already blocked), counted, or counted and now blocked. */
export type MismatchOutcome = { counted: false } | { counted: true; blockedNow: boolean };

const G = 'auth.password_reset_guard';

/**
 * Reset counters per normalised user ID key (AUTH-16), known IDs or not. Each change is one atomic
 * statement on the key's row, with the injected clock's time as a parameter: concurrent requests
 * cannot get a 6th mismatch in before the block, and every replica agrees on the windows.
 */
@Injectable()
export class PasswordResetGuardRepository {
  /**
   * A mismatch counts; the one that makes `limit` blocks resets until `blockUntil`. While blocked,
   * mismatches do not add up (the block is not prolonged); an expired block starts a fresh count.
   */
  async recordMismatch(
    manager: EntityManager,
    key: string,
    now: Date,
    blockUntil: Date,
    limit: number,
  ): Promise<MismatchOutcome> {
    const rows: { mismatches: number; blocked_until: Date | null }[] = await manager.query(
      `INSERT INTO ${G} AS g (key, mismatches, blocked_until, touched_at)
       VALUES ($1, 1, CASE WHEN 1 >= $4 THEN $3::timestamptz END, $2)
       ON CONFLICT (key) DO UPDATE SET
         touched_at = $2,
         mismatches = CASE WHEN g.blocked_until <= $2 THEN 1 ELSE g.mismatches + 1 END,
         blocked_until = CASE
           WHEN (CASE WHEN g.blocked_until <= $2 THEN 1 ELSE g.mismatches + 1 END) >= $4 THEN $3::timestamptz
           ELSE NULL END
       WHERE g.blocked_until IS NULL OR g.blocked_until <= $2
       RETURNING g.mismatches, g.blocked_until`,
      [key, now, blockUntil, limit],
    );
    if (rows.length === 0) {
      return { counted: false };
    }
    return { counted: true, blockedNow: rows[0].blocked_until !== null };
  }

  /**
   * A matching pair resets the mismatch count — unless resets are blocked, which a match does not
   * lift — and returns the state the decision is made on, read in the same statement.
   */
  async recordMatch(manager: EntityManager, key: string, now: Date): Promise<GuardState> {
    const rows: { mismatches: number; blocked_until: Date | null; last_completed_at: Date | null }[] =
      await manager.query(
        `INSERT INTO ${G} AS g (key, mismatches) VALUES ($1, 0)
       ON CONFLICT (key) DO UPDATE SET
         mismatches = CASE WHEN g.blocked_until > $2 THEN g.mismatches ELSE 0 END,
         blocked_until = CASE WHEN g.blocked_until > $2 THEN g.blocked_until ELSE NULL END
       RETURNING g.mismatches, g.blocked_until, g.last_completed_at`,
        [key, now],
      );
    const row = rows[0];
    return {
      mismatches: row.mismatches,
      blockedUntil: row.blocked_until ? new Date(row.blocked_until) : null,
      lastCompletedAt: row.last_completed_at ? new Date(row.last_completed_at) : null,
    };
  }

  /** A completed reset starts the 24-hour pause and forgets mismatches. */
  async recordCompleted(manager: EntityManager, key: string, now: Date): Promise<void> {
    await manager.query(
      `INSERT INTO ${G} AS g (key, mismatches, last_completed_at) VALUES ($1, 0, $2)
       ON CONFLICT (key) DO UPDATE SET mismatches = 0, blocked_until = NULL, last_completed_at = $2`,
      [key, now],
    );
  }
}
