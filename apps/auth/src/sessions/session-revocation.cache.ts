import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AuthEnv } from '@app/config';
import { DomainError, ErrorCode, revokedSessionKey } from '@app/contracts';
import { createRedis } from '@app/messaging';
import { AppLogger, InjectLogger } from '@app/observability';

/** A mark to (re)write: the session and how long its mark must still live. */
export interface RevocationMark {
  sessionId: string;
  ttlSeconds: number;
}

/** How long one Redis command may take before the mark counts as failed (a stall, not an outage). */
const COMMAND_TIMEOUT_MS = 2000;

/**
 * Marks revoked sessions in Redis, where the gateway checks every request: an access token of an
 * ended session is refused at once instead of living out its 15 minutes (AUTH-15: within 2 seconds).
 * The mark outlives any access token of the session (TTL = token lifetime + a minute of clock skew).
 * A mark that could not be written is not lost for good: SessionRevocationRemarker writes the marks
 * of every recently revoked session again, from the database, every few seconds.
 */
@Injectable()
export class SessionRevocationCache implements OnApplicationShutdown {
  private readonly logger: AppLogger;
  private readonly redis: Redis;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AuthEnv,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: SessionRevocationCache.name });
    // Bounded retries and a command timeout: a Redis outage or stall must fail a logout's mark, not
    // hang the logout.
    this.redis = createRedis(config.REDIS_URL, {
      maxRetriesPerRequest: 3,
      commandTimeout: COMMAND_TIMEOUT_MS,
    });
  }

  /** How long a fresh mark lives: past the last access token the session can have issued. */
  get markTtlSeconds(): number {
    return this.config.ACCESS_TOKEN_TTL_SECONDS + 60;
  }

  /**
   * Marks sessions the database has just revoked. When Redis fails, the caller is answered
   * `service_unavailable` (the revocation itself stands; the re-marker restores the mark).
   */
  async markRevoked(sessionIds: string[]): Promise<void> {
    const ttl = this.markTtlSeconds;
    const written = await this.write(sessionIds.map((sessionId) => ({ sessionId, ttlSeconds: ttl })));
    if (!written) {
      throw new DomainError(ErrorCode.ServiceUnavailable);
    }
  }

  /**
   * Writes marks in one pipeline; true when Redis took every one. Never throws. With `onlyMissing`
   * a mark that exists is left as it is (a restore never shortens a mark another writer set).
   */
  async write(marks: RevocationMark[], options: { onlyMissing?: boolean } = {}): Promise<boolean> {
    if (marks.length === 0) {
      return true;
    }
    const pipeline = this.redis.pipeline();
    for (const mark of marks) {
      const key = revokedSessionKey(this.config.REDIS_PREFIX, mark.sessionId);
      const ttl = Math.max(1, Math.ceil(mark.ttlSeconds));
      if (options.onlyMissing) {
        pipeline.set(key, '1', 'EX', ttl, 'NX');
      } else {
        pipeline.set(key, '1', 'EX', ttl);
      }
    }
    let failed: number;
    let reason: string | undefined;
    try {
      const results = await pipeline.exec();
      const errors = (results ?? []).flatMap(([error]) => (error ? [error] : []));
      failed = results === null ? marks.length : errors.length;
      reason = errors[0]?.message;
    } catch (error) {
      failed = marks.length;
      reason = error instanceof Error ? error.message : String(error);
    }
    if (failed > 0) {
      this.logger.error({ sessions: marks.length, failed, err: reason }, 'could not mark sessions revoked');
      return false;
    }
    return true;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
