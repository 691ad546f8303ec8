import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AuthEnv, Clock } from '@app/config';
import {
  CallContext,
  ChallengeMethod,
  ChallengeResult,
  DomainError,
  ErrorCode,
  LoginResult,
  NotificationChannel,
  VerifyMethod,
} from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { NotificationProducer } from '@app/messaging';
import { SecretHasher } from '../crypto/secret-hasher';
import { LockoutService } from '../lockout/lockout.service';
import { auditActor, LoginAccount, tenantNumbers } from '../login-flow/login-account';
import { LoginAccountRepository } from '../login-flow/login-account.repository';
import { LoginFlowService } from '../login-flow/login-flow.service';
import { SessionsService } from '../sessions/sessions.service';
import { User } from '../users/user.entity';
import { maskEmail, maskPhone } from './mask-destination.util';
import { SecurityCode } from './security-code.entity';

type VerifyOutcome =
  | { kind: 'verified'; result: LoginResult }
  | { kind: 'wrong'; attemptsLeft: number }
  | { kind: 'locked'; retryAfter: number };

/**
 * Security codes by SMS or e-mail (AUTH-6): 6 random digits kept only as an HMAC bound to their flow,
 * one live code per flow (a resend voids the previous one), a short life per channel, a few wrong
 * entries each, and single use. Every change to a flow's codes happens under the flow's row lock, so
 * concurrent resends and verifies of one flow queue instead of racing. A verify also holds the
 * account's lockout row (taken first, so every path locks the row before any flow of it): the checks
 * of one account run one at a time across all its flows, and each outcome's count and audit events
 * commit together (AUTH-6: 10 wrong codes in a row lock the account, never an 11th evaluated).
 */
@Injectable()
export class SecurityCodesService {
  private readonly logger = new Logger(SecurityCodesService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly flows: LoginFlowService,
    private readonly accounts: LoginAccountRepository,
    private readonly hasher: SecretHasher,
    private readonly lockout: LockoutService,
    private readonly sessions: SessionsService,
    private readonly outbox: OutboxWriter,
    private readonly notifications: NotificationProducer,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AuthEnv,
  ) {}

  /** `auth.login.challenge`: issue (or re-issue) a code and queue it for delivery. */
  async challenge(flowId: string, method: ChallengeMethod, ctx: CallContext): Promise<ChallengeResult> {
    const flow = await this.flows.live(flowId);
    const account = await this.requireAccount(flow.userId);
    const channel = this.usableChannel(method, account.user);
    const to = channel === 'sms' ? (account.user.phone as string) : account.user.email;
    const code = this.hasher.randomCode();

    const issued = await this.dataSource.transaction(async (manager) => {
      await this.flows.lockLive(manager, flowId);
      // A locked account gets no codes (AUTH-3/AUTH-6): a verify would refuse them anyway, and a
      // locked ID must not be usable to send SMS or e-mail to its owner.
      const lockedFor = await this.lockout.lockedFor(account.user.userIdKey, manager);
      if (lockedFor !== null) {
        throw new DomainError(ErrorCode.AccountLocked, { retryAfter: lockedFor });
      }
      const now = this.clock.now();
      const codes = manager.getRepository(SecurityCode);
      const latest = await codes.findOne({ where: { flowId }, order: { createdAt: 'DESC' } });
      const resendAt = latest ? latest.createdAt.getTime() + this.config.CODE_RESEND_AFTER_SECONDS * 1000 : 0;
      if (now.getTime() < resendAt) {
        throw new DomainError(ErrorCode.ResendTooSoon, {
          retryAfter: Math.ceil((resendAt - now.getTime()) / 1000),
        });
      }
      // One live code per flow: a resend makes every earlier code worthless (AUTH-6).
      await manager
        .createQueryBuilder()
        .update(SecurityCode)
        .set({ voidedAt: now })
        .where('flow_id = :flowId AND consumed_at IS NULL AND voided_at IS NULL', { flowId })
        .execute();
      const row = codes.create({
        id: randomUUID(),
        flowId,
        channel,
        // Bound to its flow: the same digits entered on another flow never match.
        codeHmac: this.hasher.hmac(code, flowId),
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.ttlSeconds(channel) * 1000),
        attemptsLeft: this.config.CODE_MAX_ATTEMPTS,
        consumedAt: null,
        voidedAt: null,
      });
      await codes.insert(row);
      await this.outbox.record(manager, {
        type: 'auth.second_factor.code_sent',
        actor: auditActor(account),
        target: { type: 'login_flow', id: flowId },
        outcome: 'info',
        reasons: [channel],
        tenants: tenantNumbers(account),
      });
      return row;
    });

    // After commit: a code is never sent that the database does not know.
    try {
      await this.notifications.enqueue(
        {
          name: 'security-code',
          data: {
            messageId: randomUUID(),
            channel,
            template: 'security-code',
            language: account.user.language,
            to: [to],
            params: { code, expiresInMinutes: Math.round(this.ttlSeconds(channel) / 60) },
            expiresAt: issued.expiresAt.toISOString(),
            correlationId: ctx.requestId,
            userId: account.user.id,
            tenants: tenantNumbers(account),
          },
        },
        'code',
      );
    } catch (error) {
      // The user may ask again once the resend wait has passed.
      this.logger.error(
        { error: error instanceof Error ? error.message : String(error), channel },
        'could not queue a security code',
      );
      throw new DomainError(ErrorCode.ServiceUnavailable);
    }

    return {
      method: channel,
      destination: channel === 'sms' ? maskPhone(to) : maskEmail(to),
      expiresAt: issued.expiresAt.toISOString(),
      resendAfter: this.config.CODE_RESEND_AFTER_SECONDS,
      sentAt: issued.createdAt.toISOString(),
    };
  }

  /** `auth.login.verify` with a code: on success the flow completes and a session starts. */
  async verify(
    flowId: string,
    method: VerifyMethod,
    code: string | undefined,
    ctx: CallContext,
  ): Promise<LoginResult> {
    const flow = await this.flows.live(flowId);
    if (method !== 'sms' && method !== 'email') {
      throw new DomainError(ErrorCode.MethodNotAvailable);
    }
    if (code === undefined || code === '') {
      throw new DomainError(ErrorCode.ValidationFailed, {
        fields: { code: ['code is required for sms and email'] },
      });
    }
    const account = await this.requireAccount(flow.userId);
    const key = account.user.userIdKey;
    // Full-width digits and spaces typed on a phone keyboard mean the same code.
    const entered = code.normalize('NFKC').replace(/\s+/g, '');

    const outcome = await this.dataSource.transaction(async (manager): Promise<VerifyOutcome> => {
      // The account's lockout row first, then the flow's: the same order as every other path that
      // takes both (the reset completion), so none of them can deadlock on the other.
      const lockedFor = await this.lockout.holdForCodeCheck(manager, key);
      if (lockedFor !== null) {
        await this.outbox.record(manager, {
          type: 'auth.login.refused_locked',
          actor: auditActor(account),
          target: { type: 'login_flow', id: flowId },
          outcome: 'denied',
          reasons: ['account_locked'],
          tenants: tenantNumbers(account),
        });
        return { kind: 'locked', retryAfter: lockedFor };
      }
      if (account.user.loginDisabled) {
        // An admin disabled the login between the password and the code (AUTH-4).
        throw new DomainError(ErrorCode.LoginDisabled);
      }
      const locked = await this.flows.lockLive(manager, flowId);
      const now = this.clock.now();
      const codes = manager.getRepository(SecurityCode);
      const latest = await codes.findOne({
        where: { flowId },
        order: { createdAt: 'DESC' },
        lock: { mode: 'pessimistic_write' },
      });
      // The expiry instant itself is already too late (a 5-minute code is dead at 5:00).
      if (
        !latest ||
        latest.voidedAt ||
        latest.consumedAt ||
        latest.expiresAt.getTime() <= now.getTime() ||
        latest.channel !== method
      ) {
        throw new DomainError(ErrorCode.CodeExpired);
      }
      if (!this.hasher.matches(entered, latest.codeHmac, flowId)) {
        const attemptsLeft = Math.max(latest.attemptsLeft - 1, 0);
        // Out of tries: the code is void and a new one must be requested (AUTH-6).
        await codes.update({ id: latest.id }, { attemptsLeft, voidedAt: attemptsLeft === 0 ? now : null });
        await this.outbox.record(manager, {
          type: 'auth.second_factor.failed',
          actor: auditActor(account),
          target: { type: 'login_flow', id: flowId },
          outcome: 'failure',
          reasons: attemptsLeft === 0 ? [latest.channel, 'attempts_exhausted'] : [latest.channel],
          tenants: tenantNumbers(account),
        });
        // AUTH-6 (ours): wrong codes in a row across flows lock the account like wrong passwords.
        if (await this.lockout.recordCodeFailure(key, manager)) {
          await this.outbox.record(manager, {
            type: 'auth.login.locked_out',
            actor: auditActor(account),
            outcome: 'denied',
            reasons: ['code_failures'],
            tenants: tenantNumbers(account),
          });
        }
        return { kind: 'wrong', attemptsLeft };
      }
      await codes.update({ id: latest.id }, { consumedAt: now });
      await this.flows.complete(manager, locked, now);
      await this.lockout.recordCodeSuccess(key, manager);
      await this.outbox.record(manager, {
        type: 'auth.second_factor.succeeded',
        actor: auditActor(account),
        target: { type: 'login_flow', id: flowId },
        outcome: 'success',
        reasons: [latest.channel],
        tenants: tenantNumbers(account),
      });
      await this.outbox.record(manager, {
        type: 'auth.login.succeeded',
        actor: auditActor(account),
        target: { type: 'login_flow', id: flowId },
        outcome: 'success',
        reasons: ['password', latest.channel],
        tenants: tenantNumbers(account),
      });
      const result = await this.sessions.start(manager, account, {
        secondFactorAt: now,
        ip: ctx.ip,
        userAgent: ctx.userAgent,
      });
      return { kind: 'verified', result };
    });

    switch (outcome.kind) {
      case 'verified':
        return outcome.result;
      case 'wrong':
        throw new DomainError(ErrorCode.InvalidCode, { attemptsLeft: outcome.attemptsLeft });
      case 'locked':
        throw new DomainError(ErrorCode.AccountLocked, { retryAfter: outcome.retryAfter });
    }
  }

  private usableChannel(method: ChallengeMethod, user: User): NotificationChannel {
    switch (method) {
      case 'sms':
        if (!user.phone) {
          throw new DomainError(ErrorCode.SmsUnavailable);
        }
        return 'sms';
      case 'email':
        if (!user.email || user.emailUndeliverable) {
          throw new DomainError(ErrorCode.EmailUnavailable);
        }
        return 'email';
      case 'push':
        // App approval (AUTH-13) is a later issue.
        throw new DomainError(ErrorCode.MethodNotAvailable);
    }
  }

  private ttlSeconds(channel: NotificationChannel): number {
    return channel === 'sms' ? this.config.CODE_TTL_SMS_SECONDS : this.config.CODE_TTL_EMAIL_SECONDS;
  }

  private async requireAccount(userId: string): Promise<LoginAccount> {
    const account = await this.accounts.findById(userId);
    if (!account) {
      throw new DomainError(ErrorCode.FlowExpired);
    }
    return account;
  }
}
