import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AuthEnv } from '@app/config';
import { createRedis } from '@app/messaging';

/** One sliding-window counter: at most `limit` entries within `windowMs`. */
export interface CapCounter {
  key: string;
  limit: number;
  windowMs: number;
}

/** Which counter refused, and how long until it has a place again. */
export type CapTake = { taken: true } | { taken: false; counter: number; waitMs: number };

/** How long one Redis command may take: a stalled Redis must fail a send, not hang the login. */
const COMMAND_TIMEOUT_MS = 2000;

/**
 * Checks every counter and, only when all of them have a place, adds the entry to each — one script,
 * so Redis runs it as a unit: replicas and parallel requests cannot both see the last place free.
 * Each counter is a sorted set of entries scored by the (injected) time they were taken; entries
 * older than the window fall out first. Refused: the counter that waits longest and for how long
 * (the entry whose expiry brings it back under its limit).
 */
const TAKE_SCRIPT = `
local now = tonumber(ARGV[1])
local refused = 0
local waitMs = 0
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[1 + 2 * i])
  local window = tonumber(ARGV[2 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local n = redis.call('ZCARD', key)
  if n >= limit then
    local freeing = redis.call('ZRANGE', key, n - limit, n - limit, 'WITHSCORES')
    local w = tonumber(freeing[2]) + window - now
    if refused == 0 or w > waitMs then
      refused = i
      waitMs = w
    end
  end
end
if refused > 0 then
  return {0, refused, waitMs}
end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[2])
  redis.call('PEXPIRE', key, tonumber(ARGV[2 + 2 * i]))
end
return {1, 0, 0}
`;

/**
 * Opens an entry in a set of open items (app approval requests) scored by their expiry: first drops
 * the items named as closed and the expired ones, then counts; under the limit the new item is added.
 * One script for the same reason as above.
 */
const OPEN_SCRIPT = `
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
for i = 5, #ARGV do
  redis.call('ZREM', KEYS[1], ARGV[i])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local n = redis.call('ZCARD', KEYS[1])
if n >= limit then
  local freeing = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
  return {0, tonumber(freeing[2]) - now}
end
redis.call('ZADD', KEYS[1], tonumber(ARGV[4]), ARGV[3])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIRE', KEYS[1], math.max(1, tonumber(last[2]) - now))
return {1, 0}
`;

/** The Redis side of the send caps (NOTIF-7): counters shared by every auth replica. */
@Injectable()
export class SendCapStore implements OnApplicationShutdown {
  private readonly redis: Redis;

  constructor(@Inject(APP_CONFIG) config: AuthEnv) {
    this.redis = createRedis(config.REDIS_URL, {
      maxRetriesPerRequest: 3,
      commandTimeout: COMMAND_TIMEOUT_MS,
    });
  }

  async take(counters: CapCounter[], entry: string, now: Date): Promise<CapTake> {
    const args: (string | number)[] = [now.getTime(), entry];
    for (const c of counters) {
      args.push(c.limit, c.windowMs);
    }
    const [taken, counter, waitMs] = (await this.redis.eval(
      TAKE_SCRIPT,
      counters.length,
      ...counters.map((c) => c.key),
      ...args,
    )) as [number, number, number];
    return taken === 1 ? { taken: true } : { taken: false, counter: counter - 1, waitMs };
  }

  /** Gives an entry back (its message was never queued after all). */
  async giveBack(keys: string[], entry: string): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const key of keys) {
      pipeline.zrem(key, entry);
    }
    await pipeline.exec();
  }

  /** See OPEN_SCRIPT. `closed`: items of the same set that ended (superseded) since. */
  async open(
    key: string,
    limit: number,
    item: string,
    expiresAt: Date,
    closed: string[],
    now: Date,
  ): Promise<{ opened: true } | { opened: false; waitMs: number }> {
    const [opened, waitMs] = (await this.redis.eval(
      OPEN_SCRIPT,
      1,
      key,
      now.getTime(),
      limit,
      item,
      expiresAt.getTime(),
      ...closed,
    )) as [number, number];
    return opened === 1 ? { opened: true } : { opened: false, waitMs };
  }

  async close(key: string, items: string[]): Promise<void> {
    if (items.length > 0) {
      await this.redis.zrem(key, ...items);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
