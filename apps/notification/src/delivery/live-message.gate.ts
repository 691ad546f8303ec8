import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, NotificationEnv } from '@app/config';
import { liveMessageKey, NotificationJobData, sendingMessageKey } from '@app/contracts';
import { NOTIFICATION_REDIS } from '../redis/redis.tokens';

/** May this message go to the provider now? */
export type GateEntry =
  /** No slot, or the slot's live message and no other of the slot with the provider: send. */
  | { kind: 'go'; pass: GatePass | null }
  /** A newer message of the slot exists (a resent code): never send this one. */
  | { kind: 'superseded' }
  /** An earlier message of the slot is with the provider right now: look again after `delayMs`. */
  | { kind: 'wait'; delayMs: number };

/** Held while the message is with the provider; `leave` gives it back. */
export interface GatePass {
  key: string;
  token: string;
}

/**
 * Is the message still the slot's live one, and if so, take the slot's sending mark (unless another
 * message of the slot holds it) — one script, so a resend landing between the check and the mark is
 * seen by the next message, not missed.
 */
const ENTER_SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return {0, 0}
end
if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', tonumber(ARGV[3])) then
  return {1, 0}
end
return {2, redis.call('PTTL', KEYS[2])}
`;

/** Removes the sending mark only if it is still ours (a lapsed mark may have been taken since). */
const LEAVE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/** Extra wait before looking again at a slot another message is being sent through. */
export const WAIT_MARGIN_MS = 250;

/**
 * Send-time check of superseded messages (see `liveSlot` on the job): the producer points a slot at
 * its newest message; a job whose message is no longer the slot's live one is refused here, whether
 * it waited in the queue or for a retry. The sending mark keeps two messages of one slot from being
 * with the provider at once, so an older one that passed the check just before a resend still
 * reaches the provider before the newer one: an old code never arrives after a newer one.
 */
@Injectable()
export class LiveMessageGate {
  constructor(
    @Inject(NOTIFICATION_REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: NotificationEnv,
  ) {}

  /** `leaseMs`: how long the mark outlives a worker that died mid-send. */
  async enter(data: NotificationJobData, leaseMs: number): Promise<GateEntry> {
    if (!data.liveSlot) {
      return { kind: 'go', pass: null };
    }
    const key = sendingMessageKey(this.config.REDIS_PREFIX, data.liveSlot);
    const token = randomUUID();
    const [state, pttl] = (await this.redis.eval(
      ENTER_SCRIPT,
      2,
      liveMessageKey(this.config.REDIS_PREFIX, data.liveSlot),
      key,
      data.messageId,
      token,
      leaseMs,
    )) as [number, number];
    switch (state) {
      case 0:
        return { kind: 'superseded' };
      case 1:
        return { kind: 'go', pass: { key, token } };
      default:
        return { kind: 'wait', delayMs: Math.max(pttl, 0) + WAIT_MARGIN_MS };
    }
  }

  async leave(pass: GatePass | null): Promise<void> {
    if (pass) {
      await this.redis.eval(LEAVE_SCRIPT, 1, pass.key, pass.token);
    }
  }
}
