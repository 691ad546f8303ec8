import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AuthEnv, Clock } from '@app/config';
import { NotificationChannel } from '@app/contracts';
import { SecretHasher } from '../crypto/secret-hasher';
import { CapCounter, SendCapStore } from './send-cap.store';

/** Which cap refused: one recipient's, the account's, or the open approval requests'. */
export type CapScope = 'recipient' | 'account' | 'open_requests';

/** A refused send: nothing may be queued; `retryAfter` whole seconds until a place frees. */
export interface CapRefusal {
  scope: CapScope;
  retryAfter: number;
}

/** A place taken in some counters, to give back when its message is not queued after all. */
export interface CapTicket {
  keys: string[];
  entry: string;
}

export type CapDecision = { allowed: true; ticket: CapTicket } | { allowed: false; refusal: CapRefusal };

/** Binds the recipient hashes to this use: the same address hashed elsewhere gives another value. */
const RECIPIENT_HMAC_CONTEXT = 'send-cap-recipient';

/**
 * NOTIF-7 send caps, shared by every auth replica through Redis:
 * - security codes: per phone number and per e-mail address (SEND_CAP_PER_RECIPIENT, default 5),
 *   and per account across all its login and step-up flows (SEND_CAP_PER_ACCOUNT, default 10):
 *   each correct password opens a new flow with its own resend timer, so without these a stolen
 *   password (or access token) could send SMS without end, and SMS cost real money;
 * - password reset e-mails per account and per address (SEND_CAP_RESET_MAILS, default 3);
 * - app approval requests open at once per user (PUSH_OPEN_REQUESTS_CAP, default 3): no flood of
 *   prompts on the user's phone in the hope of a careless tap (push fatigue).
 * Every window slides over SEND_CAP_WINDOW_SECONDS (default 15 minutes) of the injected clock.
 *
 * A recipient appears in a Redis key only as a keyed HMAC (TOKEN_HMAC_SECRET): whoever can read
 * Redis learns neither numbers nor addresses. Account keys carry the internal user uuid.
 */
@Injectable()
export class SendCaps {
  private readonly prefix: string;

  constructor(
    private readonly store: SendCapStore,
    private readonly hasher: SecretHasher,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AuthEnv,
  ) {
    this.prefix = `${config.REDIS_PREFIX}:send-cap`;
  }

  /** One security code of `userId` on `channel` to each of `recipients`. */
  takeCode(userId: string, channel: NotificationChannel, recipients: string[]): Promise<CapDecision> {
    const perRecipient = this.config.SEND_CAP_PER_RECIPIENT;
    return this.take([
      ...recipients.map((to) =>
        this.counter(`code:to:${this.recipientHash(channel, to)}`, perRecipient, 'recipient'),
      ),
      this.counter(`code:account:${userId}`, this.config.SEND_CAP_PER_ACCOUNT, 'account'),
    ]);
  }

  /** One password reset e-mail (link or refusal) of `userId` to `address`. */
  takeResetMail(userId: string, address: string): Promise<CapDecision> {
    const limit = this.config.SEND_CAP_RESET_MAILS;
    return this.take([
      this.counter(`reset:to:${this.recipientHash('email', address)}`, limit, 'recipient'),
      this.counter(`reset:account:${userId}`, limit, 'account'),
    ]);
  }

  async giveBack(ticket: CapTicket): Promise<void> {
    await this.store.giveBack(ticket.keys, ticket.entry);
  }

  /**
   * Opens an approval request of `userId` unless PUSH_OPEN_REQUESTS_CAP of theirs are open (pending
   * and unexpired). `closed`: the user's requests that ended since (superseded on their flow).
   */
  async openApprovalRequest(
    userId: string,
    requestId: string,
    expiresAt: Date,
    closed: string[],
  ): Promise<CapRefusal | null> {
    const outcome = await this.store.open(
      this.openRequestsKey(userId),
      this.config.PUSH_OPEN_REQUESTS_CAP,
      requestId,
      expiresAt,
      closed,
      this.clock.now(),
    );
    return outcome.opened ? null : { scope: 'open_requests', retryAfter: wholeSeconds(outcome.waitMs) };
  }

  /** Requests that are no longer open: decided at the app, or never created after all. */
  async closeApprovalRequests(userId: string, requestIds: string[]): Promise<void> {
    await this.store.close(this.openRequestsKey(userId), requestIds);
  }

  private async take(counters: (CapCounter & { scope: CapScope })[]): Promise<CapDecision> {
    const entry = randomUUID();
    const outcome = await this.store.take(counters, entry, this.clock.now());
    if (outcome.taken) {
      return { allowed: true, ticket: { keys: counters.map((c) => c.key), entry } };
    }
    return {
      allowed: false,
      refusal: { scope: counters[outcome.counter].scope, retryAfter: wholeSeconds(outcome.waitMs) },
    };
  }

  private counter(name: string, limit: number, scope: CapScope): CapCounter & { scope: CapScope } {
    return {
      key: `${this.prefix}:${name}`,
      limit,
      windowMs: this.config.SEND_CAP_WINDOW_SECONDS * 1000,
      scope,
    };
  }

  private openRequestsKey(userId: string): string {
    return `${this.prefix}:push-open:${userId}`;
  }

  /**
   * The same number or address however it was typed: e-mail case and width do not make another
   * recipient, nor do the spaces and hyphens of a phone number.
   */
  private recipientHash(channel: NotificationChannel, to: string): string {
    const normalized = to.normalize('NFKC').trim().toLowerCase();
    const canonical = channel === 'sms' ? normalized.replace(/[\s()-]/g, '') : normalized;
    return this.hasher.hmac(`${channel}:${canonical}`, RECIPIENT_HMAC_CONTEXT);
  }
}

/** Whole seconds, rounded up so a client told "retry after N" is never early; at least 1. */
function wholeSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
