import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, failureMessage, PeriodicTask, AuthEnv, Clock } from '@app/config';
import { AppLogger, InjectLogger } from '@app/observability';
import { RESET_COOLDOWN_MS } from '../password-reset/password-reset.service';
import { PRUNED_TABLES, PruneCutoffs, PrunedTable, PruningRepository } from './pruning.repository';

/** Rows deleted by one statement: short transactions, short row locks, whatever the backlog. */
export const PRUNE_BATCH = 500;
/** Batches per table and run: a run ends in bounded time; the next run takes the rest. */
export const MAX_BATCHES = 20;
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
export type PruneCounts = Record<PrunedTable, number>;

/**
 * Deletes the rows that calls without an account leave behind, so a spray of random IDs or
 * abandoned ceremonies cannot grow tables without bound: lockout and reset-guard rows that say
 * nothing any more (an expired lock, a zero count, a count untouched for STALE_COUNT_MS), WebAuthn
 * challenges, login and step-up flows (with their codes) and reset links a day after they expired.
 *
 * Every replica runs it every PRUNE_INTERVAL_SECONDS. Each statement deletes one batch of rows
 * (PruningRepository says which rows, and skips those in use): replicas pruning at once take
 * different rows. Times are the injected clock's, so the rules are tested without waiting a day.
 */
@Injectable()
export class AnonymousRowsPruner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: AppLogger;
  private readonly task = new PeriodicTask(
    () => this.pruneOnce(),
    (error) => this.logger.warn({ err: failureMessage(error) }, 'prune failed'),
  );

  constructor(
    private readonly rows: PruningRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AuthEnv,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: AnonymousRowsPruner.name });
  }

  onApplicationBootstrap(): void {
    this.task.start(this.config.PRUNE_INTERVAL_SECONDS * 1000);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** One run over every table; returns what it deleted. */
  async pruneOnce(): Promise<PruneCounts> {
    const now = this.clock.now();
    const cutoffs: PruneCutoffs = {
      now,
      kept: new Date(now.getTime() - KEEP_MS),
      stale: new Date(now.getTime() - STALE_COUNT_MS),
      cooledDown: new Date(now.getTime() - RESET_COOLDOWN_MS),
    };
    const counts = {} as PruneCounts;
    for (const table of PRUNED_TABLES) {
      counts[table] = await this.batches(table, cutoffs);
    }
    if (Object.values(counts).some((n) => n > 0)) {
      this.logger.info(counts, 'pruned rows left by anonymous calls');
    }
    return counts;
  }

  /** Deletes in batches of PRUNE_BATCH until a batch comes back short (or MAX_BATCHES). */
  private async batches(table: PrunedTable, cutoffs: PruneCutoffs): Promise<number> {
    let total = 0;
    for (let i = 0; i < MAX_BATCHES; i++) {
      const count = await this.rows.deleteBatch(table, cutoffs, PRUNE_BATCH);
      total += count;
      if (count < PRUNE_BATCH) {
        break;
      }
    }
    return total;
  }
}
