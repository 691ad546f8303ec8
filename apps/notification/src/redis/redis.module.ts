import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, NotificationEnv } from '@app/config';
import { createRedis } from '@app/messaging';
import { NOTIFICATION_REDIS } from './redis.tokens';

/** One Redis connection per process for non-blocking commands; global so health indicators reach it. */
@Global()
@Module({
  providers: [
    {
      provide: NOTIFICATION_REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: NotificationEnv) => createRedis(config.REDIS_URL),
    },
  ],
  exports: [NOTIFICATION_REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(NOTIFICATION_REDIS) private readonly redis: Redis) {}

  // onApplicationShutdown runs after every beforeApplicationShutdown, i.e. after the workers closed.
  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
