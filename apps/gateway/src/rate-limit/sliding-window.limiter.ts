import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, Clock, GatewayEnv } from '@app/config';
import { DomainError, ErrorCode } from '@app/contracts';
import { GATEWAY_REDIS } from '../redis/gateway-redis';

export const WINDOW_MS = 60_000;

/**
 * All of a request's counters judged and counted in one Lua script, so that one request costs one
 * Redis round trip and concurrent requests on any number of gateway replicas see one count.
 * Each counter is a sliding window made of two fixed windows: the count is the current window's plus
 * the previous window's weighted by how much of it still overlaps the last minute. A request is
 * refused when any counter is at its limit; a refused request counts on none of them (so a flood
 * refused per address does not also spend the account's budget, and the reverse).
 *
 * KEYS: per counter, its current and previous window. ARGV: elapsed ms in the current window, window
 * ms, then each counter's limit. Returns {refused counter (1-based, 0 = allowed), wait ms, then each
 * counter's remaining requests after this one}.
 */
const CONSUME_SCRIPT = `
local elapsed = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local weight = (window - elapsed) / window
local n = #KEYS / 2
local remaining = {}
local refused = 0
local wait = 0
for i = 1, n do
  local limit = tonumber(ARGV[2 + i])
  local current = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
  local previous = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
  local used = math.floor(previous * weight) + current
  remaining[i] = limit - used - 1
  if used >= limit then
    local t
    if current < limit then
      -- Within this window, once enough of the previous window has slid out.
      t = window - elapsed - window * (limit - current) / previous
    else
      -- Only in the next window, once enough of this one has slid out.
      t = window - elapsed + window * (1 - limit / current)
    end
    -- At that instant the count equals the limit; a millisecond later it is below.
    t = math.max(1, math.ceil(t) + 1)
    if refused == 0 or t > wait then
      refused = i
      wait = t
    end
  end
end
if refused == 0 then
  for i = 1, n do
    redis.call('INCR', KEYS[2 * i - 1])
    redis.call('PEXPIRE', KEYS[2 * i - 1], 2 * window)
  end
end
local reply = {refused, wait}
for i = 1, n do
  reply[2 + i] = remaining[i]
end
return reply
`;

/** One counter of a request: its key (without prefix and window), limit per window, and a name for metrics. */
export interface Counter {
  key: string;
  limit: number;
  scope: string;
}

export interface Verdict {
  allowed: boolean;
  /** The counter with the fewest requests left (the one that refused, when refused). */
  limit: number;
  remaining: number;
  /** Seconds until that counter has room again (refused) or until the current window ends. */
  resetSeconds: number;
  scope: string;
}

/** The script as an ioredis command: sent by its SHA1 (EVALSHA), the text only once per connection. */
interface RedisWithConsume extends Redis {
  mamoriRateLimitConsume(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
}

@Injectable()
export class SlidingWindowLimiter {
  private readonly prefix: string;
  private readonly redis: RedisWithConsume;

  constructor(
    @Inject(GATEWAY_REDIS) redis: Redis,
    @Inject(APP_CONFIG) config: GatewayEnv,
    private readonly clock: Clock,
  ) {
    this.prefix = `${config.REDIS_PREFIX}:rl:`;
    if (!('mamoriRateLimitConsume' in redis)) {
      redis.defineCommand('mamoriRateLimitConsume', { lua: CONSUME_SCRIPT });
    }
    this.redis = redis as RedisWithConsume;
  }

  async consume(counters: Counter[]): Promise<Verdict> {
    const now = this.clock.now().getTime();
    const index = Math.floor(now / WINDOW_MS);
    const keys = counters.flatMap((c) => [
      `${this.prefix}${c.key}:${index}`,
      `${this.prefix}${c.key}:${index - 1}`,
    ]);
    let reply: number[];
    try {
      reply = (
        (await this.redis.mamoriRateLimitConsume(
          keys.length,
          ...keys,
          now - index * WINDOW_MS,
          WINDOW_MS,
          ...counters.map((c) => c.limit),
        )) as unknown[]
      ).map(Number);
    } catch {
      // Without the shared counters no limit holds; refuse rather than let a flood through.
      throw new DomainError(ErrorCode.ServiceUnavailable);
    }
    const [refused, waitMs, ...remaining] = reply;
    if (refused > 0) {
      const counter = counters[refused - 1];
      return {
        allowed: false,
        limit: counter.limit,
        remaining: 0,
        resetSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
        scope: counter.scope,
      };
    }
    let tightest = 0;
    remaining.forEach((left, i) => {
      if (left < remaining[tightest]) {
        tightest = i;
      }
    });
    return {
      allowed: true,
      limit: counters[tightest].limit,
      remaining: Math.max(0, remaining[tightest]),
      resetSeconds: Math.max(1, Math.ceil((WINDOW_MS - (now - index * WINDOW_MS)) / 1000)),
      scope: counters[tightest].scope,
    };
  }
}
