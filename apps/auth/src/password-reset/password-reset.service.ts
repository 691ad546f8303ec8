import { createHash, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AuthEnv, Clock } from '@app/config';
import {
  DomainError,
  ErrorCode,
  normalizeUserId,
  NotificationJob,
  PasswordResetInspection,
  PasswordResetRequestDto,
} from '@app/contracts';
import { NotificationProducer } from '@app/messaging';
import { AppLogger, InjectLogger } from '@app/observability';
import { SecretHasher } from '../crypto/secret-hasher';
import { LockoutService } from '../lockout/lockout.service';
import { AuditFacts, Fact } from '../users/audit-facts';
import { LoginAccount, tenantNumbers } from '../users/login-account';
import { PasswordHasher } from '../password/password-hasher';
import { PasswordPolicy } from '../password/password-policy';
import { SendCaps } from '../send-caps/send-caps.service';
import { SessionsService } from '../sessions/sessions.service';
import { accountEmailJob } from '../users/account-email.util';
import { UsersService } from '../users/users.service';
import { PasswordResetGuardRepository } from './password-reset-guard.repository';
import { PasswordResetTokenRepository } from './password-reset-token.repository';

/** AUTH-16 (seed): 5 ID/e-mail mismatches in a row… */
export const RESET_MISMATCH_LIMIT = 5;
/** …block resets for that ID for 20 minutes (seed). */
export const RESET_BLOCK_MS = 20 * 60 * 1000;
/** AUTH-16 (seed): after a completed reset, no reset for 24 hours. */
export const RESET_COOLDOWN_MS = 24 * 60 * 60 * 1000;
/** AUTH-16 (ours): a link is valid for 30 minutes. */
export const RESET_TOKEN_TTL_MS = 30 * 60 * 1000;
/** 32 bytes = 256 bits, above the 128 bits AUTH-16 asks for. */
const RESET_TOKEN_BYTES = 32;
/** Binds a token's HMAC to this use, so a value from another table means nothing here. */
const RESET_HMAC_CONTEXT = 'password-reset';
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{20,128}$/;
/** How long a shutdown waits for e-mails still on their way to the queue. */
const SHUTDOWN_MAIL_WAIT_MS = 5000;

/**
 * AUTH-16 password reset (and AUTH-14 first password). The answer to a request never depends on
 * what happened: the e-mail tells the real outcome, to the registered address only.
 */
@Injectable()
export class PasswordResetService implements BeforeApplicationShutdown {
  private readonly logger: AppLogger;
  /** E-mails handed to the queue after an answer was given, until Redis has taken them (or failed). */
  private readonly mailsInFlight = new Set<Promise<void>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AuthEnv,
    private readonly clock: Clock,
    private readonly users: UsersService,
    private readonly guard: PasswordResetGuardRepository,
    private readonly tokens: PasswordResetTokenRepository,
    private readonly secrets: SecretHasher,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly lockout: LockoutService,
    private readonly facts: AuditFacts,
    private readonly notifications: NotificationProducer,
    private readonly sessions: SessionsService,
    private readonly caps: SendCaps,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: PasswordResetService.name });
  }

  /**
   * Always `{status:'accepted'}`. Every input does the same work before the answer: one account
   * read (the user and their tenants in one query, found or not), one token drawn and hashed, and
   * one transaction with one guard statement and one audit row. The only extra step of a matching,
   * unblocked pair is one more statement in that same transaction: the insert of the token's row.
   * The e-mail (a link or a refusal) is queued after commit and the answer does not wait for it, in
   * any branch: a match that waited on Redis would answer measurably later than a mismatch, and a
   * stalled Redis would hold exactly the matching requests for as long as it stalls.
   */
  async request(dto: PasswordResetRequestDto): Promise<{ status: 'accepted' }> {
    const now = this.clock.now();
    const key = normalizeUserId(dto.userId);
    const account = await this.users.findAccount(dto.userId);
    const user = account?.user ?? null;
    const tenants = tenantNumbers(account);
    const matched = sameAddress(user?.email ?? '', dto.email) && user !== null;
    const token = this.secrets.randomToken(RESET_TOKEN_BYTES);
    const tokenHmac = this.secrets.hmac(token, RESET_HMAC_CONTEXT);
    // Facts of the account the ID names (none for an unknown ID), about that account.
    const facts = this.facts.of(account);
    const target = user ? { target: { type: 'user', id: user.id } } : {};

    const mail = await this.tokens.transaction(async (manager): Promise<NotificationJob | null> => {
      if (!matched || !user) {
        const blockUntil = new Date(now.getTime() + RESET_BLOCK_MS);
        const outcome = await this.guard.recordMismatch(manager, key, now, blockUntil, RESET_MISMATCH_LIMIT);
        const fact: Fact =
          outcome.counted && outcome.blockedNow
            ? {
                type: 'auth.password_reset.blocked',
                ...target,
                outcome: 'denied',
                reasons: ['too_many_mismatches'],
              }
            : {
                type: 'auth.password_reset.refused',
                ...target,
                outcome: 'failure',
                reasons: outcome.counted ? ['mismatch'] : ['mismatch', 'blocked'],
              };
        await facts.record(manager, fact);
        return null;
      }
      const state = await this.guard.recordMatch(manager, key, now);
      const blockedUntil = state.blockedUntil && state.blockedUntil > now ? state.blockedUntil : null;
      const cooldownUntil =
        state.lastCompletedAt && state.lastCompletedAt.getTime() + RESET_COOLDOWN_MS > now.getTime()
          ? new Date(state.lastCompletedAt.getTime() + RESET_COOLDOWN_MS)
          : null;
      if (blockedUntil || cooldownUntil) {
        const until = new Date(Math.max(blockedUntil?.getTime() ?? 0, cooldownUntil?.getTime() ?? 0));
        await facts.record(manager, {
          type: 'auth.password_reset.refused',
          ...target,
          outcome: 'denied',
          reasons: [...(blockedUntil ? ['blocked'] : []), ...(cooldownUntil ? ['cooldown'] : [])],
        });
        return accountEmailJob(user, tenants, 'password-reset-refused', { until: until.toISOString() });
      }
      const expiresAt = new Date(now.getTime() + RESET_TOKEN_TTL_MS);
      await this.tokens.insert(manager, user.id, tokenHmac, now, expiresAt);
      await facts.record(manager, {
        type: 'auth.password_reset.requested',
        ...target,
        outcome: 'success',
      });
      const link = `${this.config.PUBLIC_URL.replace(/\/+$/, '')}/password-reset/${token}`;
      // A link e-mailed after it has expired is useless: the job expires with the token.
      return accountEmailJob(
        user,
        tenants,
        'password-reset-link',
        { link, expiresAt: expiresAt.toISOString() },
        expiresAt,
      );
    });

    if (mail && account) {
      this.queueInBackground(mail, { account, address: account.user.email });
    }
    return { status: 'accepted' };
  }

  /** What the reset page shows (AUTH-16: whether the account is locked). */
  async inspect(token: unknown): Promise<PasswordResetInspection> {
    const { user } = await this.usableTokenOwner(token);
    return { userId: user.userId, locked: (await this.lockout.lockedFor(user.userIdKey)) !== null };
  }

  /**
   * Sets the new password. The policy is checked before the token is touched, so a rejected
   * password leaves the link usable. Then one transaction: use the token atomically, store the
   * hash, bump the credential version, clear the lockout, expire the logins waiting for their
   * second step, end every session, start the 24-hour pause, void the user's other links, audit —
   * all or nothing.
   */
  async complete(token: unknown, newPassword: string): Promise<void> {
    const account = await this.usableTokenOwner(token);
    const { user } = account;
    this.policy.assertAcceptable(newPassword, user);
    const passwordHash = await this.hasher.hash(newPassword);
    const tokenHmac = this.secrets.hmac(token as string, RESET_HMAC_CONTEXT);
    const tenants = tenantNumbers(account);

    await this.tokens.transaction(async (manager) => {
      const now = this.clock.now();
      const owner = await this.tokens.consume(manager, tokenHmac, now);
      if (owner !== user.id) {
        throw new DomainError(ErrorCode.ResetTokenInvalid);
      }
      await this.tokens.setPassword(manager, user.id, passwordHash, now);
      // The lockout row before the flows, in the order a code verify takes them (no deadlock).
      await this.lockout.unlock(user.userIdKey, manager);
      // AUTH-16: a login started with the old password must not finish with its code. Before the
      // sessions: a verify that holds a flow's lock is waited for here, so the session it commits
      // is seen, and ended, by the statement below.
      await this.tokens.expirePendingFlows(manager, user.id);
      await this.sessions.revokeAllForUser(user.id, 'password_reset', manager);
      await this.guard.recordCompleted(manager, user.userIdKey, now);
      await this.tokens.voidAllOf(manager, user.id, now);
      await this.facts.of(account).record(manager, {
        type: 'auth.password_reset.completed',
        target: { type: 'user', id: user.id },
        outcome: 'success',
      });
    });

    // The password has changed whatever happens to the notice: a slow or failing queue neither
    // holds nor fails the answer.
    this.queueInBackground(accountEmailJob(user, tenants, 'password-reset-completed', {}));
  }

  /** Resolves once every e-mail queued so far has reached the queue or failed to. */
  async idle(): Promise<void> {
    await Promise.all([...this.mailsInFlight]);
  }

  /** A graceful shutdown lets e-mails already promised reach the queue; a stalled Redis cannot hold it. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.race([this.idle(), sleep(SHUTDOWN_MAIL_WAIT_MS, undefined, { ref: false })]);
  }

  /**
   * Queues `mail` after the answer, never holding it. A failure is logged (no address, link or ID:
   * only the template) and the user asks again; the answer has been given either way.
   *
   * `capped`: a requested mail (link or refusal) counts toward the reset mail caps per account and
   * per address (NOTIF-7); over one it is not sent, only audited. The check runs here, after the
   * answer, so a capped request answers exactly like any other (always 202, no timing difference).
   */
  private queueInBackground(
    mail: NotificationJob,
    capped?: { account: LoginAccount; address: string },
  ): void {
    const queued = (async () => {
      if (capped && !(await this.withinResetCaps(mail, capped))) {
        return;
      }
      await this.notifications.enqueue(mail, 'transactional');
    })().catch((error: unknown) => {
      this.logger.error(
        { err: error instanceof Error ? error.message : String(error), template: mail.name },
        'reset e-mail not queued',
      );
    });
    this.mailsInFlight.add(queued);
    void queued.finally(() => this.mailsInFlight.delete(queued));
  }

  /** Takes a place in the reset mail caps, or audits the refusal (no address in it) and says no. */
  private async withinResetCaps(
    mail: NotificationJob,
    capped: { account: LoginAccount; address: string },
  ): Promise<boolean> {
    const userId = capped.account.user.id;
    const decision = await this.caps.takeResetMail(userId, capped.address);
    if (decision.allowed) {
      return true;
    }
    await this.tokens.transaction(async (manager) => {
      await this.facts.of(capped.account).record(manager, {
        type: 'auth.send_cap.reached',
        target: { type: 'user', id: userId },
        outcome: 'denied',
        reasons: ['email', decision.refusal.scope, mail.name],
      });
    });
    return false;
  }

  private async usableTokenOwner(token: unknown): Promise<LoginAccount> {
    if (typeof token !== 'string' || !TOKEN_FORMAT.test(token)) {
      throw new DomainError(ErrorCode.ResetTokenInvalid);
    }
    const tokenHmac = this.secrets.hmac(token, RESET_HMAC_CONTEXT);
    const userId = await this.tokens.findUsable(this.tokens.standalone, tokenHmac, this.clock.now());
    const account = userId ? await this.users.findAccountById(userId) : null;
    if (!account) {
      throw new DomainError(ErrorCode.ResetTokenInvalid);
    }
    return account;
  }
}

/**
 * E-mail addresses compared case-insensitively (what people type back differs in case from what an
 * admin registered), in constant time over fixed-length digests so the comparison leaks nothing.
 */
function sameAddress(registered: string, given: string): boolean {
  const digest = (s: string) =>
    createHash('sha256').update(s.normalize('NFKC').trim().toLowerCase()).digest();
  return timingSafeEqual(digest(registered), digest(given)) && registered !== '';
}
