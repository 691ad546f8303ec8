import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, NotificationEnv } from '@app/config';
import { liveMessageKey, NotificationChannel, NotificationJobData, sendingMessageKey } from '@app/contracts';
import { NOTIFICATION_REDIS } from '../redis/redis.tokens';
import { GateEntry, GatePass, WAIT_MARGIN_MS } from './live-message.gate';
import { acceptanceKey, MARK_TTL_MS } from './provider-acceptance.store';
import { circuitKeys } from './provider-circuit';

/**
 * Before a send: `paused`, the provider circuit's pause (CircuitEntry); otherwise the circuit lets
 * this job call the provider (open, or this job is its probe) and `gate` is the live slot's answer.
 */
export type GuardEntry = { kind: 'paused'; delayMs: number } | { kind: 'circuit_open'; gate: GateEntry };

/**
 * ProviderCircuit's enter, then LiveMessageGate's enter, in one script. KEYS: failures, paused,
 * probe, live, sending. ARGV: threshold (0: no circuit), probe lease (ms), message id ('': no live
 * slot), token, lease (ms). Returns {circuit 0 open | 1 probe | 2 paused, paused pttl,
 * gate 0 superseded | 1 go | 2 wait, sending pttl}.
 */
const ENTER_SCRIPT = `
local circuit = 0
local threshold = tonumber(ARGV[1])
if threshold > 0 then
  local pttl = redis.call('PTTL', KEYS[2])
  if pttl > 0 then
    return {2, pttl, 0, 0}
  end
  local failures = tonumber(redis.call('GET', KEYS[1]) or '0')
  if failures >= threshold then
    if redis.call('SET', KEYS[3], '1', 'NX', 'PX', tonumber(ARGV[2])) then
      circuit = 1
    else
      return {2, math.max(redis.call('PTTL', KEYS[3]), 0), 0, 0}
    end
  end
end
if ARGV[3] == '' then
  return {circuit, 0, 1, 0}
end
if redis.call('GET', KEYS[4]) ~= ARGV[3] then
  return {circuit, 0, 0, 0}
end
if redis.call('SET', KEYS[5], ARGV[4], 'NX', 'PX', tonumber(ARGV[5])) then
  return {circuit, 0, 1, 0}
end
return {circuit, 0, 2, redis.call('PTTL', KEYS[5])}
`;

/**
 * After the provider took a message: note its acceptance (ProviderAcceptanceStore), give back the
 * slot's sending mark if still ours (LiveMessageGate.leave), and report the provider's answer to the
 * circuit (ProviderCircuit.success), in one script. KEYS: failures, paused, probe, accepted, sending.
 * ARGV: threshold (0: no circuit), accepted at, mark TTL (ms), token ('': no mark). Returns 1 if the
 * queue had been paused (or counting failures) and is open again.
 */
const SENT_SCRIPT = `
redis.call('SET', KEYS[4], ARGV[2], 'PX', tonumber(ARGV[3]))
if ARGV[4] ~= '' and redis.call('GET', KEYS[5]) == ARGV[4] then
  redis.call('DEL', KEYS[5])
end
local threshold = tonumber(ARGV[1])
if threshold > 0 and redis.call('EXISTS', KEYS[1]) == 1 then
  local failures = tonumber(redis.call('GET', KEYS[1]) or '0')
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
  if failures >= threshold then
    return 1
  end
end
return 0
`;

type GuardRedis = Redis & {
  notificationGuardEnter(...args: (string | number)[]): Promise<[number, number, number, number]>;
  notificationGuardSent(...args: (string | number)[]): Promise<number>;
};

/**
 * The Redis side of one send, in two round trips instead of four (bench/notification.mjs): the
 * provider circuit and the live slot before it, the acceptance mark, the slot and the circuit after
 * it. Same keys and rules as ProviderCircuit, LiveMessageGate and ProviderAcceptanceStore, which keep
 * the other steps (a failure, a slot given back after a failed send, the recovery of a lost record).
 * The scripts are loaded once and run by their hash.
 */
@Injectable()
export class DeliveryGuards {
  private readonly redis: GuardRedis;

  constructor(
    @Inject(NOTIFICATION_REDIS) redis: Redis,
    @Inject(APP_CONFIG) private readonly config: NotificationEnv,
  ) {
    redis.defineCommand('notificationGuardEnter', { numberOfKeys: 5, lua: ENTER_SCRIPT });
    redis.defineCommand('notificationGuardSent', { numberOfKeys: 5, lua: SENT_SCRIPT });
    this.redis = redis as GuardRedis;
  }

  /** `leaseMs`: how long the slot's sending mark outlives a worker that died mid-send. */
  async enter(data: NotificationJobData, channel: NotificationChannel, leaseMs: number): Promise<GuardEntry> {
    const threshold = Math.max(this.config.PROVIDER_PAUSE_AFTER_FAILURES, 0);
    const slot = data.liveSlot;
    if (threshold === 0 && !slot) {
      return { kind: 'circuit_open', gate: { kind: 'go', pass: null } };
    }
    const prefix = this.config.REDIS_PREFIX;
    const sendingKey = slot ? sendingMessageKey(prefix, slot) : '';
    const token = slot ? randomUUID() : '';
    // The circuit's probe (1) is not told apart from open (0): the send reports its outcome either way.
    const [circuit, pausedMs, gate, sendingMs] = await this.redis.notificationGuardEnter(
      ...circuitKeys(prefix, channel),
      // Without a slot the script reads neither key; it still needs five names.
      slot ? liveMessageKey(prefix, slot) : `${prefix}:notification:no-slot`,
      slot ? sendingKey : `${prefix}:notification:no-slot`,
      threshold,
      this.config.PROVIDER_PROBE_INTERVAL_MS,
      slot ? data.messageId : '',
      token,
      leaseMs,
    );
    if (circuit === 2) {
      return { kind: 'paused', delayMs: pausedMs };
    }
    switch (gate) {
      case 0:
        return { kind: 'circuit_open', gate: { kind: 'superseded' } };
      case 1:
        return { kind: 'circuit_open', gate: { kind: 'go', pass: slot ? { key: sendingKey, token } : null } };
      default:
        return {
          kind: 'circuit_open',
          gate: { kind: 'wait', delayMs: Math.max(sendingMs, 0) + WAIT_MARGIN_MS },
        };
    }
  }

  /**
   * The provider took the message at `at`. Returns true if its queue had been paused and is open now.
   * Once this answers, a crash before the `sent` record is committed still ends `sent`: the job runs
   * again (or the sweeper finds the message) and finds the mark.
   */
  async sent(
    channel: NotificationChannel,
    messageId: string,
    at: Date,
    pass: GatePass | null,
  ): Promise<boolean> {
    const prefix = this.config.REDIS_PREFIX;
    const resumed = await this.redis.notificationGuardSent(
      ...circuitKeys(prefix, channel),
      acceptanceKey(prefix, messageId),
      pass?.key ?? `${prefix}:notification:no-slot`,
      Math.max(this.config.PROVIDER_PAUSE_AFTER_FAILURES, 0),
      at.toISOString(),
      MARK_TTL_MS,
      pass?.token ?? '',
    );
    return resumed === 1;
  }
}
