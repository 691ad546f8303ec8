import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { HealthIndicator } from '@app/observability';
import { NOTIFICATION_REDIS } from './redis.tokens';

const PING_TIMEOUT_MS = 2000;

/** Readiness of Redis, which holds the queues. */
@Injectable()
export class RedisHealthIndicator implements HealthIndicator {
  readonly name = 'redis';

  constructor(@Inject(NOTIFICATION_REDIS) private readonly redis: Redis) {}

  async isUp(): Promise<boolean> {
    // The connection retries commands forever (BullMQ style), so a ping to a dead Redis would hang:
    // bound it, a readiness probe must answer.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('redis ping timed out')), PING_TIMEOUT_MS);
    });
    try {
      return (await Promise.race([this.redis.ping(), timeout])) === 'PONG';
    } finally {
      clearTimeout(timer);
    }
  }
}
