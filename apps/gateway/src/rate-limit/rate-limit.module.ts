import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import type Redis from 'ioredis';
import { APP_CONFIG, GatewayEnv } from '@app/config';
import { GATEWAY_REDIS } from '../redis/gateway-redis';
import { ACCOUNT_THROTTLER, IP_THROTTLER, accountKey } from './gateway-throttler.guard';
import { RedisThrottlerStorage } from './redis-throttler.storage';

const MINUTE_MS = 60_000;

/**
 * Rate limits shared by every gateway replica through Redis (GW-1): RATE_LIMIT_PER_MINUTE per client
 * address and route, and the same per account on login and reset. The default is generous on purpose:
 * lockout (AUTH-3) is what stops guessing; this stops floods.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG, GATEWAY_REDIS],
      useFactory: (config: GatewayEnv, redis: Redis) => ({
        storage: new RedisThrottlerStorage(redis, config),
        setHeaders: false,
        throttlers: [
          { name: IP_THROTTLER, ttl: MINUTE_MS, limit: config.RATE_LIMIT_PER_MINUTE },
          {
            name: ACCOUNT_THROTTLER,
            ttl: MINUTE_MS,
            limit: config.RATE_LIMIT_PER_MINUTE,
            getTracker: (req: Record<string, unknown>) => accountKey(req.body) ?? 'none',
          },
        ],
      }),
    }),
  ],
})
export class RateLimitModule {}
