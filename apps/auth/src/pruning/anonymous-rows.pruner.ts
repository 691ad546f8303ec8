import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, failureMessage, PeriodicTask, AuthEnv, Clock } from '@app/config';
import { AppLogger, InjectLogger } from '@app/observability';
import { RESET_COOLDOWN_MS } from '../password-reset/password-reset.service';

/** Rows deleted by one statement: short transactions, short row locks, whatever the backlog. */
export const PRUNE_BATCH = 500;
/** Batches per table and run: a run ends in bounded time; the next run takes the rest. */
const MAX_BATCHES = 20;
/**
 * Spent or expired rows (flows, challenges, reset links) are kept a day after they stopped mattering,
 * for an investigation, then deleted.
 */
export const KEEP_MS = 24 * 60 * 60 * 1000;
/**
 * A count of wrong passwords or reset mismatches that nobody moved for this long is forgotten, for a
 * known ID and an unknown one alike (so the forgetting tells nothing about which IDs exist): one
 * wrong try a day never locks anyone, and a spray of random IDs leaves nothing behind for long.
 */
export const STALE_COUNT_MS = 24 * 60 * 60 * 1000;

/** How many rows one run deleted, per table. */
export interface PruneCounts {
  loginThrottle: number;
  passwordResetGuard: number;
  webauthnChallenge: number;
  loginFlow: number;
  passwordResetToken: number;
}

/**
 * Deletes the rows that calls without an account leave behind, so a spray of random IDs or
 * abandoned ceremonies cannot grow tables without bound: lockout and reset-guard rows that say
 * nothing any more (an expired lock, a zero count, a count untouched for STALE_COUNT_MS), WebAuthn
 * challenges, login and step-up flows (with their codes) and reset links a day after they expired.
 *
 * Every replica runs it every PRUNE_INTERVAL_SECONDS. Each statement deletes one batch of rows it
 * selected with FOR UPDATE SKIP LOCKED: replicas pruning at once take different rows, and a row in
 * use by a login (a lockout row held by a code check) is skipped, not waited for. Times are the
 * injected clock's, so the rules are tested without waiting a day.
 */
@Injectable()
export class AnonymousRowsPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: AppLogger;
  private readonly task = new PeriodicTask(
    () => this.pruneOnce(),
    (error) => this.logger.warn({ err: failureMessage(error) }, 'prune failed'),
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AuthEnv,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: AnonymousRowsPruner.name });
  }

  onApplicationBootstrap(): void {
    this.task.start(this.config.PRUNE_INTERVAL_SECONDS * 1000);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** One run over every table; returns what it deleted. */
  async pruneOnce(): Promise<PruneCounts> {
    const now = this.clock.now();
    const kept = new Date(now.getTime() - KEEP_MS);
    const stale = new Date(now.getTime() - STALE_COUNT_MS);
    const counts: PruneCounts = {
      // Equivalent to no row: an expired lock (the next try starts a fresh cycle anyway), a row
      // counting nothing, or a count of wrong passwords untouched for a day. Never a live lock, and
      // never a count of wrong codes, which only a known account after its password has.
      loginThrottle: await this.batches(
        'auth.login_throttle',
        'key',
        `(locked_until IS NOT NULL AND locked_until <= $1)
         OR (locked_until IS NULL AND code_failures = 0
             AND (failures = 0 OR touched_at IS NULL OR touched_at < $2))`,
        [now, stale],
      ),
      // No block in force, no 24-hour pause after a reset in force, and no recent mismatch count.
      passwordResetGuard: await this.batches(
        'auth.password_reset_guard',
        'key',
        `(blocked_until IS NULL OR blocked_until <= $1)
         AND (last_completed_at IS NULL OR last_completed_at <= $3)
         AND (mismatches = 0 OR touched_at IS NULL OR touched_at < $2)`,
        [now, stale, new Date(now.getTime() - RESET_COOLDOWN_MS)],
      ),
      webauthnChallenge: await this.batches('auth.webauthn_challenge', 'id', `expires_at < $1`, [kept]),
      // Codes reference their flow; push requests go with it (ON DELETE CASCADE).
      loginFlow: await this.batches(
        'auth.login_flow',
        'id',
        `expires_at < $1`,
        [kept],
        `DELETE FROM auth.security_code WHERE flow_id IN (SELECT id FROM doomed)`,
      ),
      passwordResetToken: await this.batches('auth.password_reset_token', 'id', `expires_at < $1`, [kept]),
    };
    if (Object.values(counts).some((n) => n > 0)) {
      this.logger.info(counts, 'pruned rows left by anonymous calls');
    }
    return counts;
  }

  /**
   * Deletes rows of `table` matching `where` in batches of PRUNE_BATCH until a batch comes back
   * short (or MAX_BATCHES). `before`: a statement on the batch's ids (`doomed`) that must run first.
   */
  private async batches(
    table: string,
    id: string,
    where: string,
    params: unknown[],
    before?: string,
  ): Promise<number> {
    let total = 0;
    for (let i = 0; i < MAX_BATCHES; i++) {
      const n = params.length;
      const deleted: { n: number }[] = await this.dataSource.query(
        `WITH doomed AS (
           SELECT ${id} FROM ${table} WHERE ${where} LIMIT $${n + 1} FOR UPDATE SKIP LOCKED
         )${before ? `, pre AS (${before} RETURNING 1)` : ''},
         gone AS (DELETE FROM ${table} WHERE ${id} IN (SELECT ${id} FROM doomed) RETURNING 1)
         SELECT count(*)::int AS n FROM gone`,
        [...params, PRUNE_BATCH],
      );
      const count = deleted[0]?.n ?? 0;
      total += count;
      if (count < PRUNE_BATCH) {
        break;
      }
    }
    return total;
  }
}
