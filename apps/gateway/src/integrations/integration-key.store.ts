import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, GatewayEnv } from '@app/config';
import { IntegrationKeyRecord } from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { AppLogger, InjectLogger, RequestContext } from '@app/observability';
import { GATEWAY_REDIS } from '../redis/gateway-redis';

/**
 * What checks an integration's API key, kept in Redis next to the case service that owns it (CASE-9):
 * a key must still work while the case service is down, since that is when alerts are queued. The
 * copy is written when the key is created through the gateway, and on a miss from the case service
 * (only if absent); a revocation overwrites it with the revoked record. Because a fill never replaces
 * what is there, a fill that raced with a revocation cannot bring a revoked key back.
 */
@Injectable()
export class IntegrationKeyStore {
  private readonly logger: AppLogger;

  constructor(
    @Inject(APP_CONFIG) private readonly config: GatewayEnv,
    @Inject(GATEWAY_REDIS) private readonly redis: Redis,
    private readonly rpc: RpcClient,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: IntegrationKeyStore.name });
  }

  /**
   * The record of a key prefix, or null when no key has it; throws 503 when neither source answers.
   * `beforeAsking` runs before the case service is asked (a miss here), and may refuse by throwing.
   */
  async find(
    prefix: string,
    beforeAsking: () => Promise<void> = async () => undefined,
  ): Promise<IntegrationKeyRecord | null> {
    const cached = await this.redis.get(this.key(prefix)).catch(() => null);
    if (cached !== null) {
      try {
        return JSON.parse(cached) as IntegrationKeyRecord;
      } catch {
        // Not ours to trust: ask the owner.
      }
    }
    await beforeAsking();
    // No access token travels: the case service answers this subject to the gateway's NATS user only.
    const record = await this.rpc.send(
      'case-management.integration.key',
      { prefix },
      {
        requestId: RequestContext.requestId(),
      },
    );
    if (record) {
      await this.redis
        .set(this.key(prefix), JSON.stringify(record), 'EX', this.config.INTEGRATION_KEY_CACHE_SECONDS, 'NX')
        .catch((error: unknown) => this.logger.warn({ err: String(error) }, 'integration key not cached'));
    }
    return record;
  }

  /** Writes the record as it now is (a new key, or a revoked one), replacing any copy. */
  async remember(record: IntegrationKeyRecord): Promise<void> {
    await this.redis.set(
      this.key(record.prefix),
      JSON.stringify(record),
      'EX',
      this.config.INTEGRATION_KEY_CACHE_SECONDS,
    );
  }

  private key(prefix: string): string {
    return `${this.config.REDIS_PREFIX}:integration-key:${prefix}`;
  }
}
