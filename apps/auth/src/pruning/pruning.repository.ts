import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The tables the pruner empties of rows that stopped mattering, in the order it visits them. */
export const PRUNED_TABLES = [
  'loginThrottle',
  'passwordResetGuard',
  'webauthnChallenge',
  'loginFlow',
  'passwordResetToken',
] as const;
export type PrunedTable = (typeof PRUNED_TABLES)[number];

/** The instants a run measures against, all from the injected clock. */
export interface PruneCutoffs {
  now: Date;
  /** Spent or expired rows older than this go. */
  kept: Date;
  /** A count untouched since this is forgotten. */
  stale: Date;
  /** A reset completed before this no longer pauses the next one. */
  cooledDown: Date;
}

interface Prunable {
  table: string;
  id: string;
  where: string;
  params: (c: PruneCutoffs) => unknown[];
  /** A statement on the batch's ids (`doomed`) that must run first. */
  before?: string;
}

const PRUNABLE: Record<PrunedTable, Prunable> = {
  // Equivalent to no row: an expired lock (the next try starts a fresh cycle anyway), a row
  // counting nothing, or a count of wrong passwords untouched for a day. Never a live lock, and
  // never a count of wrong codes, which only a known account after its password has.
  loginThrottle: {
    table: 'auth.login_throttle',
    id: 'key',
    where: `(locked_until IS NOT NULL AND locked_until <= $1)
         OR (locked_until IS NULL AND code_failures = 0
             AND (failures = 0 OR touched_at IS NULL OR touched_at < $2))`,
    params: (c) => [c.now, c.stale],
  },
  // No block in force, no 24-hour pause after a reset in force, and no recent mismatch count.
  passwordResetGuard: {
    table: 'auth.password_reset_guard',
    id: 'key',
    where: `(blocked_until IS NULL OR blocked_until <= $1)
         AND (last_completed_at IS NULL OR last_completed_at <= $3)
         AND (mismatches = 0 OR touched_at IS NULL OR touched_at < $2)`,
    params: (c) => [c.now, c.stale, c.cooledDown],
  },
  webauthnChallenge: {
    table: 'auth.webauthn_challenge',
    id: 'id',
    where: `expires_at < $1`,
    params: (c) => [c.kept],
  },
  // Codes reference their flow; push requests go with it (ON DELETE CASCADE).
  loginFlow: {
    table: 'auth.login_flow',
    id: 'id',
    where: `expires_at < $1`,
    params: (c) => [c.kept],
    before: `DELETE FROM auth.security_code WHERE flow_id IN (SELECT id FROM doomed)`,
  },
  passwordResetToken: {
    table: 'auth.password_reset_token',
    id: 'id',
    where: `expires_at < $1`,
    params: (c) => [c.kept],
  },
};

/**
 * SQL of the pruning of rows left by anonymous calls. Each statement deletes one batch of rows it
 * selected with FOR UPDATE SKIP LOCKED: replicas pruning at once take different rows, and a row in
 * use by a login (a lockout row held by a code check) is skipped, not waited for.
 */
@Injectable()
export class PruningRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Deletes at most `limit` prunable rows of `table` in one statement; returns how many. */
  async deleteBatch(table: PrunedTable, cutoffs: PruneCutoffs, limit: number): Promise<number> {
    const { table: name, id, where, params, before } = PRUNABLE[table];
    const values = params(cutoffs);
    const n = values.length;
    const deleted: { n: number }[] = await this.dataSource.query(
      `WITH doomed AS (
           SELECT ${id} FROM ${name} WHERE ${where} LIMIT $${n + 1} FOR UPDATE SKIP LOCKED
         )${before ? `, pre AS (${before} RETURNING 1)` : ''},
         gone AS (DELETE FROM ${name} WHERE ${id} IN (SELECT ${id} FROM doomed) RETURNING 1)
         SELECT count(*)::int AS n FROM gone`,
      [...values, limit],
    );
    return deleted[0]?.n ?? 0;
  }
}
