import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, GatewayEnv } from '@app/config';
import { createRedis } from '@app/messaging';
import { GATEWAY_REDIS } from './gateway-redis';

/**
 * One Redis connection for the gateway. Unlike a BullMQ worker, a request must not wait out a Redis
 * restart: a command gives up after a second and the request answers 503 instead of hanging.
 */
@Global()
@Module({
  providers: [
    {
      provide: GATEWAY_REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: GatewayEnv): Redis =>
        createRedis(config.REDIS_URL, {
          maxRetriesPerRequest: 1,
          commandTimeout: 1_000,
          connectTimeout: 2_000,
          // Commands of concurrent requests (revocation checks, rate-limit counters) issued in the same
          // tick go out in one write, and their replies come back in one read.
          enableAutoPipelining: true,
        }),
    },
  ],
  exports: [GATEWAY_REDIS],
})
export class GatewayRedisModule implements OnApplicationShutdown {
  constructor(@Inject(GATEWAY_REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
