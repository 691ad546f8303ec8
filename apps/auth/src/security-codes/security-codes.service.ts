import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AuthEnv, Clock } from '@app/config';
import {
  CallContext,
  ChallengeResult,
  DomainError,
  ErrorCode,
  LoginCodeStatus,
  MethodOption,
  NotificationChannel,
} from '@app/contracts';
import { NotificationProducer } from '@app/messaging';
import { AppLogger, InjectLogger } from '@app/observability';
import { SecretHasher } from '../crypto/secret-hasher';
import { LockoutService } from '../lockout/lockout.service';
import { actingTenantOf } from '../flows/acting-tenant.util';
import { AuditFacts } from '../users/audit-facts';
import { LoginAccount, tenantNumbers } from '../users/login-account';
import { LoginFlow } from '../flows/login-flow.entity';
import { LoginFlowService } from '../flows/login-flow.service';
import { CapRefusal, CapTicket, SendCaps } from '../send-caps/send-caps.service';
import { FlowCodeRow, SecondStepCheck, SecondStepPreload } from '../flows/second-step-method';
import { SecondStepMethods } from '../flows/second-step-methods';
import { codeEmailRecipients } from '../users/email-recipients.util';
import { User } from '../users/user.entity';
import { maskEmail, maskPhone } from './mask-destination.util';
import { SecurityCode } from './security-code.entity';
import { SecurityCodesRepository } from './security-codes.repository';

type IssueOutcome =
  { kind: 'issued'; row: SecurityCode; ticket: CapTicket } | { kind: 'capped'; refusal: CapRefusal };

/**
 * Security codes by SMS or e-mail (AUTH-6): 6 random digits kept only as an HMAC bound to their flow,
 * one live code per flow (a resend voids the previous one), a short life per channel, a few wrong
 * entries each, and single use. Every change to a flow's codes happens under the flow's row lock, so
 * concurrent resends and verifies of one flow queue instead of racing. Registered as the `sms` and
 * `email` second-step methods; SecondStepService runs the verify transaction around `check`.
 */
@Injectable()
export class SecurityCodesService implements OnModuleInit {
  private readonly logger: AppLogger;

  constructor(
    private readonly codes: SecurityCodesRepository,
    private readonly flows: LoginFlowService,
    private readonly methods: SecondStepMethods,
    private readonly hasher: SecretHasher,
    private readonly lockout: LockoutService,
    private readonly facts: AuditFacts,
    private readonly notifications: NotificationProducer,
    private readonly caps: SendCaps,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AuthEnv,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: SecurityCodesService.name });
  }

  onModuleInit(): void {
    for (const channel of ['sms', 'email'] as const) {
      this.methods.register({
        type: channel,
        offer: async (account, tenant) => this.offer(channel, account, tenant ?? null),
        challenge: (flow, account, ctx) => this.challenge(flow, channel, account, ctx),
        verify: (manager, flow, _account, code, now, preload) =>
          this.check(manager, flow, channel, code, now, preload),
      });
    }
  }

  /**
   * SMS is the default when a phone can take codes, otherwise e-mail; the other stays available as
   * "try another method" (AUTH-6).
   */
  private offer(
    channel: NotificationChannel,
    account: LoginAccount,
    tenant: string | null,
  ): MethodOption | null {
    const user = account.user;
    const smsUsable = this.smsUsable(user);
    if (channel === 'sms') {
      return smsUsable ? { type: 'sms', destination: maskPhone(user.phone as string), default: true } : null;
    }
    // Shown where the code will really go (AUTH-7); a challenge without any usable address answers
    // `email_unavailable`.
    const recipients = this.emailRecipients(account, tenant);
    const destination = recipients.length > 0 ? recipients.map(maskEmail).join(', ') : maskEmail(user.email);
    return { type: 'email', destination, default: !smsUsable };
  }

  /** Issue (or re-issue) a code for the flow and queue it for delivery. */
  private async challenge(
    flow: LoginFlow,
    requested: NotificationChannel,
    account: LoginAccount,
    ctx: CallContext,
  ): Promise<ChallengeResult> {
    const flowId = flow.id;
    const tenant = await actingTenantOf(this.codes.standalone, flow);
    const facts = this.facts.of(account, tenant);
    const channel = this.usableChannel(requested, account, tenant);
    const to = channel === 'sms' ? [account.user.phone as string] : this.emailRecipients(account, tenant);
    const code = this.hasher.randomCode();

    const outcome = await this.codes.transaction(async (manager): Promise<IssueOutcome> => {
      await this.flows.lockLive(manager, flowId);
      // A locked account gets no codes (AUTH-3/AUTH-6): a verify would refuse them anyway, and a
      // locked ID must not be usable to send SMS or e-mail to its owner.
      const lockedFor = await this.lockout.lockedFor(account.user.userIdKey, manager);
      if (lockedFor !== null) {
        throw new DomainError(ErrorCode.AccountLocked, { retryAfter: lockedFor });
      }
      const now = this.clock.now();
      const latest = await this.codes.latest(flowId, manager);
      const resendAt = latest ? latest.createdAt.getTime() + this.config.CODE_RESEND_AFTER_SECONDS * 1000 : 0;
      if (now.getTime() < resendAt) {
        throw new DomainError(ErrorCode.ResendTooSoon, {
          retryAfter: Math.ceil((resendAt - now.getTime()) / 1000),
        });
      }
      // NOTIF-7: after the checks above, so a refused resend or a locked account uses no place.
      const capped = await this.takeCap(account, channel, to);
      if (!capped.allowed) {
        // Committed with the refusal: the fact is kept though the call fails (no recipient in it).
        await facts.record(manager, {
          type: 'auth.send_cap.reached',
          target: { type: 'login_flow', id: flowId },
          outcome: 'denied',
          reasons: [channel, capped.refusal.scope, flow.purpose],
        });
        return { kind: 'capped', refusal: capped.refusal };
      }
      // A failure from here to the commit keeps the place until the window ends: rare, and on the
      // safe side.
      // One live code per flow: a resend makes every earlier code worthless (AUTH-6).
      await this.codes.voidLive(manager, flowId, now);
      const row = Object.assign(new SecurityCode(), {
        id: randomUUID(),
        flowId,
        channel,
        // Bound to its flow: the same digits entered on another flow never match.
        codeHmac: this.hasher.hmac(code, flowId),
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.ttlSeconds(channel) * 1000),
        attemptsLeft: this.config.CODE_MAX_ATTEMPTS,
        messageId: randomUUID(),
        consumedAt: null,
        voidedAt: null,
      });
      await this.codes.insert(manager, row);
      await facts.record(manager, {
        type: 'auth.second_factor.code_sent',
        target: { type: 'login_flow', id: flowId },
        outcome: 'info',
        reasons: [channel],
      });
      return { kind: 'issued', row, ticket: capped.ticket };
    });
    if (outcome.kind === 'capped') {
      // Nothing queued (NOTIF-7).
      throw new DomainError(ErrorCode.TooManyMessages, { retryAfter: outcome.refusal.retryAfter });
    }
    const issued = outcome.row;

    // After commit: a code is never sent that the database does not know.
    try {
      await this.notifications.enqueue(
        {
          name: 'security-code',
          data: {
            messageId: issued.messageId ?? randomUUID(),
            channel,
            template: 'security-code',
            language: account.user.language,
            to,
            params: { code, expiresInMinutes: Math.round(this.ttlSeconds(channel) / 60) },
            expiresAt: issued.expiresAt.toISOString(),
            correlationId: ctx.requestId,
            userId: account.user.id,
            tenants: tenantNumbers(account),
            // The flow's newest code is the only one that may still go out: an earlier one still
            // queued, or waiting to be retried, is withdrawn or refused at send time, so it never
            // arrives after this one.
            liveSlot: `login-flow:${flowId}`,
          },
        },
        'code',
      );
    } catch (error) {
      // Nothing was sent: the place in the caps is not used up.
      await this.caps.giveBack(outcome.ticket).catch(() => undefined);
      // The user may ask again once the resend wait has passed.
      this.logger.error(
        { err: error instanceof Error ? error.message : String(error), channel },
        'could not queue a security code',
      );
      throw new DomainError(ErrorCode.ServiceUnavailable);
    }

    return {
      method: channel,
      destination: channel === 'sms' ? maskPhone(to[0]) : to.map(maskEmail).join(', '),
      expiresAt: issued.expiresAt.toISOString(),
      resendAfter: this.config.CODE_RESEND_AFTER_SECONDS,
      sentAt: issued.createdAt.toISOString(),
    };
  }

  /**
   * The flow's latest code for the waiting login screen (NOTIF-5): its channel, whether it may still
   * be entered, and the message carrying it (the gateway asks the notification service when that
   * left). Null when the flow has no code.
   */
  async latestCode(flowId: string): Promise<LoginCodeStatus | null> {
    const flow = await this.flows.live(flowId);
    const latest = await this.codes.latest(flow.id);
    if (!latest) {
      return null;
    }
    const usable =
      !latest.voidedAt && !latest.consumedAt && latest.expiresAt.getTime() > this.clock.now().getTime();
    return { method: latest.channel, status: usable ? 'pending' : 'expired', messageId: latest.messageId };
  }

  /**
   * Checks an entered code against the flow's live code, inside SecondStepService's verify
   * transaction (which holds the account's lockout row and the flow's row lock). A wrong entry costs
   * the code one of its tries; out of tries, the code is void and a new one must be requested.
   */
  private async check(
    manager: EntityManager,
    flow: LoginFlow,
    channel: NotificationChannel,
    code: string | undefined,
    now: Date,
    preload: SecondStepPreload = {},
  ): Promise<SecondStepCheck> {
    if (code === undefined || code === '') {
      throw new DomainError(ErrorCode.ValidationFailed, {
        fields: { code: ['code is required for sms and email'] },
      });
    }
    // Full-width digits and spaces typed on a phone keyboard mean the same code.
    const entered = code.normalize('NFKC').replace(/\s+/g, '');
    let latest = preload.latestCode;
    if (latest === undefined || (latest !== null && !this.usable(latest, now))) {
      // Not read with the flow, or read unusable: a resend that committed while the verify waited
      // for the flow's lock is newer than the read's snapshot, so look again (rare; costs a trip).
      latest = await this.codes.latest(flow.id, manager, true);
    }
    // The expiry instant itself is already too late (a 5-minute code is dead at 5:00).
    if (
      !latest ||
      latest.voidedAt ||
      latest.consumedAt ||
      latest.expiresAt.getTime() <= now.getTime() ||
      latest.channel !== channel
    ) {
      throw new DomainError(ErrorCode.CodeExpired);
    }
    // The caller sends the code's change in the outcome's one statement, under the flow's lock.
    if (!this.hasher.matches(entered, latest.codeHmac, flow.id)) {
      const attemptsLeft = Math.max(latest.attemptsLeft - 1, 0);
      return {
        ok: false,
        attemptsLeft,
        writes: [this.codes.spendTryStatement(latest.id, attemptsLeft, attemptsLeft === 0 ? now : null)],
      };
    }
    return { ok: true, writes: [this.codes.consumeStatement(latest.id, now)] };
  }

  /** Not voided, not used, not expired: the expiry instant itself is already too late. */
  private usable(code: FlowCodeRow, now: Date): boolean {
    return !code.voidedAt && !code.consumedAt && code.expiresAt.getTime() > now.getTime();
  }

  /** NOTIF-7: Redis unreachable means no code could be queued either: the caller may try again. */
  private async takeCap(account: LoginAccount, channel: NotificationChannel, to: string[]) {
    try {
      return await this.caps.takeCode(account.user.id, channel, to);
    } catch (error) {
      this.logger.error(
        { err: error instanceof Error ? error.message : String(error) },
        'send caps unreachable',
      );
      throw new DomainError(ErrorCode.ServiceUnavailable);
    }
  }

  private usableChannel(
    channel: NotificationChannel,
    account: LoginAccount,
    tenant: string | null,
  ): NotificationChannel {
    switch (channel) {
      case 'sms':
        if (!this.smsUsable(account.user)) {
          throw new DomainError(ErrorCode.SmsUnavailable);
        }
        return 'sms';
      case 'email':
        if (this.emailRecipients(account, tenant).length === 0) {
          throw new DomainError(ErrorCode.EmailUnavailable);
        }
        return 'email';
    }
  }

  /**
   * AUTH-7: where e-mail codes go — the tenant's notification address when one is set, else the
   * account's contact address — less the account address once it bounced (NOTIF-6): a notification
   * address set by the tenant admin still works when the account's own address does not.
   */
  private emailRecipients(account: LoginAccount, tenant: string | null): string[] {
    const bounced = account.user.emailUndeliverable ? account.user.email.trim().toLowerCase() : null;
    return codeEmailRecipients(account, tenant).filter((address) => address.trim().toLowerCase() !== bounced);
  }

  /** A phone is registered (AUTH-6) and SMS was not switched off because its line ended (AUTH-19). */
  private smsUsable(user: User): boolean {
    return Boolean(user.phone) && user.smsDisabledAt === null;
  }

  private ttlSeconds(channel: NotificationChannel): number {
    return channel === 'sms' ? this.config.CODE_TTL_SMS_SECONDS : this.config.CODE_TTL_EMAIL_SECONDS;
  }
}
