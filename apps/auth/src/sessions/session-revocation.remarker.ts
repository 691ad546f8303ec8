import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '@app/config';
import { WakeableSleep } from '@app/messaging';
import { AppLogger, InjectLogger } from '@app/observability';
import { SessionRevocationCache } from './session-revocation.cache';
import { SessionsRepository } from './sessions.repository';

/** Short against the mark's lifetime (16 minutes), long against the cost of one indexed query. */
export const REMARK_INTERVAL_MS = 30_000;

/**
 * Writes the Redis marks of every session revoked recently enough for one of its access tokens to
 * be alive (the mark's own lifetime), at boot and every 30 seconds. The database is the truth about
 * revocations; Redis is only where the gateway looks. A mark lost to a Redis blip (the logout that
 * answered `service_unavailable`, the reset whose after-commit mark failed, a Redis restart without
 * persistence) is back within seconds of Redis recovering, instead of the session's access tokens
 * being accepted until they expire. One query on an index of `revoked_at` and one pipeline per pass:
 * cheap enough to run on every replica.
 */
@Injectable()
export class SessionRevocationRemarker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: AppLogger;
  private readonly pause = new WakeableSleep();
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly revocations: SessionRevocationCache,
    private readonly clock: Clock,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: SessionRevocationRemarker.name });
  }

  onApplicationBootstrap(): void {
    // In the background: boot must not wait for (or fail on) Redis.
    this.running = true;
    this.loop = this.run();
  }

  /**
   * One pass: every session revoked within a mark's lifetime of now that has no mark gets one, for
   * what is left of that lifetime; marks that exist are left alone. Returns how many sessions it
   * looked at; throws when Redis did not take the marks.
   */
  async remarkRecent(): Promise<number> {
    const now = this.clock.now().getTime();
    const lifetimeMs = this.revocations.markTtlSeconds * 1000;
    const rows = await this.sessions.revokedSince(new Date(now - lifetimeMs));
    const marks = rows.map((row) => ({
      sessionId: row.id,
      // Never longer than a fresh mark (a replica whose clock runs ahead revoked it "later").
      ttlSeconds: Math.min(lifetimeMs, row.revokedAt.getTime() + lifetimeMs - now) / 1000,
    }));
    if (!(await this.revocations.write(marks, { onlyMissing: true }))) {
      throw new Error('revocation marks were not written');
    }
    return marks.length;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.pause.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.remarkRecent();
      } catch (error) {
        // Redis or the database is down: the next pass tries again; the marks are logged as failed.
        this.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          're-marking revoked sessions failed; will retry',
        );
      }
      await this.pause.sleep(REMARK_INTERVAL_MS);
    }
  }
}
