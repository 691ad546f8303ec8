import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import type Redis from 'ioredis';
import { APP_CONFIG, GatewayEnv } from '@app/config';
import { DomainError, ErrorCode } from '@app/contracts';
import { GATEWAY_REDIS } from '../redis/gateway-redis';

/**
 * A fixed window per key, counted and judged in one Lua script so that concurrent requests on any
 * number of gateway replicas see one count (the in-memory default counts per process). Over the
 * limit, a block key holds the caller off for the block duration.
 * KEYS: hits, block. ARGV: ttl ms, limit, block ms. Returns {hits, ttl ms, blocked 0/1, block ms}.
 */
const INCREMENT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
local blockTtl = redis.call('PTTL', KEYS[2])
if blockTtl > 0 then
  return {hits, ttl, 1, blockTtl}
end
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return {hits, ttl, 1, tonumber(ARGV[3])}
end
return {hits, ttl, 0, 0}
`;

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly prefix: string;

  constructor(
    @Inject(GATEWAY_REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) config: GatewayEnv,
  ) {
    this.prefix = `${config.REDIS_PREFIX}:throttle:`;
  }

  /** `ttl` and `blockDuration` are in milliseconds; the record's times are in seconds (as the guard expects). */
  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const base = `${this.prefix}${throttlerName}:${key}`;
    let reply: unknown;
    try {
      reply = await this.redis.eval(
        INCREMENT_SCRIPT,
        2,
        `${base}:hits`,
        `${base}:block`,
        ttl,
        limit,
        Math.max(1, blockDuration),
      );
    } catch {
      // Without the shared counter the limit cannot be enforced; refuse rather than let a flood through.
      throw new DomainError(ErrorCode.ServiceUnavailable);
    }
    const [hits, ttlMs, blocked, blockMs] = (reply as number[]).map(Number);
    return {
      totalHits: hits,
      timeToExpire: Math.ceil(ttlMs / 1000),
      isBlocked: blocked === 1,
      timeToBlockExpire: Math.ceil(blockMs / 1000),
    };
  }
}
