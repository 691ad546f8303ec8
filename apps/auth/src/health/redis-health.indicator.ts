import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, BaseEnv } from '@app/config';
import { createRedis } from '@app/messaging';
import { HealthIndicator } from '@app/observability';

/** Readiness of Redis, which carries the code and mail queues and the session revocation marks. */
@Injectable()
export class RedisHealthIndicator implements HealthIndicator, OnApplicationShutdown {
  readonly name = 'redis';
  private readonly redis: Redis;

  constructor(@Inject(APP_CONFIG) config: BaseEnv) {
    // Fail fast: a readiness probe must answer "down", not wait for Redis to come back.
    this.redis = createRedis(config.REDIS_URL, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      lazyConnect: true,
    });
  }

  async isUp(): Promise<boolean> {
    if (this.redis.status === 'wait' || this.redis.status === 'end') {
      await this.redis.connect().catch(() => undefined);
    }
    const reply = await Promise.race([
      this.redis.ping(),
      new Promise<string>((resolve) => setTimeout(() => resolve('timeout'), 2000).unref()),
    ]);
    return reply === 'PONG';
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
