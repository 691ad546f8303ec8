import Redis, { RedisOptions } from 'ioredis';

/** A Redis connection as BullMQ wants it: no per-command retry limit, so workers wait out a restart. */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });
}
