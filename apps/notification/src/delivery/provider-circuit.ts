import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, NotificationEnv } from '@app/config';
import { NotificationChannel } from '@app/contracts';
import { NOTIFICATION_REDIS } from '../redis/redis.tokens';

/** May a job of this channel call its provider now? */
export type CircuitEntry =
  /** The provider answers (or has not failed enough to pause): send. */
  | { kind: 'open' }
  /** Paused, and this job is the one that tries the provider now: send, and report how it went. */
  | { kind: 'probe' }
  /** Paused: do not call the provider, look again after `delayMs`. */
  | { kind: 'paused'; delayMs: number };

/**
 * KEYS: failures, paused, probe. ARGV: threshold, probe lease (ms). Paused while the `paused` mark
 * lives; once it lapses (failures still at the threshold), one caller at a time gets the probe.
 */
const ENTER_SCRIPT = `
local pttl = redis.call('PTTL', KEYS[2])
if pttl > 0 then
  return {2, pttl}
end
local failures = tonumber(redis.call('GET', KEYS[1]) or '0')
if failures < tonumber(ARGV[1]) then
  return {0, 0}
end
if redis.call('SET', KEYS[3], '1', 'NX', 'PX', tonumber(ARGV[2])) then
  return {1, 0}
end
return {2, math.max(redis.call('PTTL', KEYS[3]), 0)}
`;

/**
 * KEYS: failures, paused, probe. ARGV: threshold, pause (ms), failure memory (ms). Counts one more
 * unreachable failure; at the threshold the queue pauses for one probe interval. Returns
 * {tripped now or already, newly tripped}.
 */
const FAILURE_SCRIPT = `
local failures = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
if failures < tonumber(ARGV[1]) then
  return {0, 0}
end
redis.call('SET', KEYS[2], '1', 'PX', tonumber(ARGV[2]))
redis.call('DEL', KEYS[3])
if failures == tonumber(ARGV[1]) then
  return {1, 1}
end
return {1, 0}
`;

/** KEYS: failures, paused, probe. Returns 1 if the queue was paused (or counting failures). */
const SUCCESS_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local failures = tonumber(redis.call('GET', KEYS[1]) or '0')
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
if failures >= tonumber(ARGV[1]) then
  return 1
end
return 0
`;

/** A failure older than this no longer counts towards a pause. */
const FAILURE_MEMORY_MS = 10 * 60 * 1000;

/**
 * Pauses a provider's queue while the provider cannot be reached (issue: a provider outage must not
 * burn every message's attempts): after PROVIDER_PAUSE_AFTER_FAILURES unreachable failures in a row
 * (no success between), jobs of that channel stop calling it and wait; every
 * PROVIDER_PROBE_INTERVAL_MS one job tries it, and the first success reopens the queue. The state
 * lives in Redis, so every replica pauses and resumes together, and each step is one script.
 */
@Injectable()
export class ProviderCircuit {
  constructor(
    @Inject(NOTIFICATION_REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: NotificationEnv,
  ) {}

  private get enabled(): boolean {
    return this.config.PROVIDER_PAUSE_AFTER_FAILURES > 0;
  }

  async enter(channel: NotificationChannel): Promise<CircuitEntry> {
    if (!this.enabled) {
      return { kind: 'open' };
    }
    const [state, pttl] = (await this.redis.eval(
      ENTER_SCRIPT,
      3,
      ...this.keys(channel),
      this.config.PROVIDER_PAUSE_AFTER_FAILURES,
      this.config.PROVIDER_PROBE_INTERVAL_MS,
    )) as [number, number];
    switch (state) {
      case 0:
        return { kind: 'open' };
      case 1:
        return { kind: 'probe' };
      default:
        return { kind: 'paused', delayMs: pttl };
    }
  }

  /** One more unreachable failure. `paused`: the queue is paused now; `newly`: by this failure. */
  async failure(channel: NotificationChannel): Promise<{ paused: boolean; newly: boolean }> {
    if (!this.enabled) {
      return { paused: false, newly: false };
    }
    const [paused, newly] = (await this.redis.eval(
      FAILURE_SCRIPT,
      3,
      ...this.keys(channel),
      this.config.PROVIDER_PAUSE_AFTER_FAILURES,
      this.config.PROVIDER_PROBE_INTERVAL_MS,
      FAILURE_MEMORY_MS,
    )) as [number, number];
    return { paused: paused === 1, newly: newly === 1 };
  }

  /** The provider answered: failures forgotten, queue open. True if it had been paused. */
  async success(channel: NotificationChannel): Promise<boolean> {
    if (!this.enabled) {
      return false;
    }
    const resumed = (await this.redis.eval(
      SUCCESS_SCRIPT,
      3,
      ...this.keys(channel),
      this.config.PROVIDER_PAUSE_AFTER_FAILURES,
    )) as number;
    return resumed === 1;
  }

  private keys(channel: NotificationChannel): [string, string, string] {
    return circuitKeys(this.config.REDIS_PREFIX, channel);
  }
}

/** The circuit's keys: failures, paused, probe (DeliveryGuards reads and writes them too). */
export function circuitKeys(prefix: string, channel: NotificationChannel): [string, string, string] {
  const base = `${prefix}:notification:provider:${channel}`;
  return [`${base}:failures`, `${base}:paused`, `${base}:probe`];
}
