import { Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import {
  CallContext,
  ChallengeMethod,
  ChallengeResult,
  DomainError,
  ErrorCode,
  LoginResult,
  VerifyDto,
} from '@app/contracts';
import { refusedLocked } from '../lockout/credential-refusal';
import { LOCK_DURATION_MS, LockoutService } from '../lockout/lockout.service';
import { UserNotices } from '../users/user-notices';
import { SessionsService } from '../sessions/sessions.service';
import { actingTenantOf } from '../flows/acting-tenant.util';
import { PasswordStepRepository } from './password-step.repository';
import { AuditFacts } from '../users/audit-facts';
import { LoginAccount } from '../users/login-account';
import { LoginAccountRepository } from '../users/login-account.repository';
import { LoginCompletion } from './login-completion.service';
import { LoginFlow } from '../flows/login-flow.entity';
import { LoginFlowService } from '../flows/login-flow.service';
import { SecondStepMethods } from '../flows/second-step-methods';

type VerifyOutcome =
  | { kind: 'done'; result: LoginResult }
  | { kind: 'wrong'; attemptsLeft?: number; lockedNow?: boolean }
  | { kind: 'locked'; retryAfter: number };

/**
 * The second step of a login or step-up flow, whatever the method (AUTH-6, AUTH-8, AUTH-12, AUTH-13).
 *
 * A verify holds the account's lockout row (taken first, so every path locks the row before any flow
 * of it) and then the flow's row: the checks of one account run one at a time across all its flows
 * and methods, and each outcome's count and audit events commit together (AUTH-6: 10 wrong answers
 * in a row lock the account, never an 11th evaluated). On success a login flow ends in a session (or
 * goes on to the initial password, AUTH-14); a step-up flow refreshes its session's second step.
 */
@Injectable()
export class SecondStepService {
  constructor(
    private readonly step: PasswordStepRepository,
    private readonly flows: LoginFlowService,
    private readonly methods: SecondStepMethods,
    private readonly accounts: LoginAccountRepository,
    private readonly lockout: LockoutService,
    private readonly sessions: SessionsService,
    private readonly completion: LoginCompletion,
    private readonly facts: AuditFacts,
    private readonly clock: Clock,
    private readonly notices: UserNotices,
  ) {}

  /** `auth.login.challenge`: send what the method needs (a code, an approval request). */
  async challenge(flowId: string, method: ChallengeMethod, ctx: CallContext): Promise<ChallengeResult> {
    const flow = await this.flows.live(flowId);
    if (flow.stage !== 'second_factor') {
      throw new DomainError(ErrorCode.FlowExpired);
    }
    const account = await this.requireAccount(flow.userId);
    const handler = this.methods.get(method);
    if (!handler.challenge) {
      throw new DomainError(ErrorCode.MethodNotAvailable);
    }
    return handler.challenge(flow, account, ctx);
  }

  /** `auth.login.verify`. */
  async verify(flowId: string, dto: VerifyDto, ctx: CallContext): Promise<LoginResult> {
    const flow = await this.flows.live(flowId);
    if (flow.stage !== 'second_factor') {
      throw new DomainError(ErrorCode.FlowExpired);
    }
    if (flow.purpose === 'step_up') {
      requireOwnSession(flow, ctx);
    }
    const method = this.methods.get(dto.method);
    const account = await this.requireAccount(flow.userId);
    const key = account.user.userIdKey;
    const target = { type: 'login_flow', id: flowId };
    // A step-up's facts are its tenant's; a login's are the account's (AUDIT_EVENT_SCOPES).
    const tenant = await actingTenantOf(this.step.standalone, flow);
    const facts = this.facts.of(account, tenant);

    const outcome = await this.step.transaction(async (manager): Promise<VerifyOutcome> => {
      const lockedFor = await this.lockout.holdForCodeCheck(manager, key);
      if (lockedFor !== null) {
        await facts.record(manager, refusedLocked(target));
        return { kind: 'locked', retryAfter: lockedFor };
      }
      if (account.user.loginDisabled) {
        // An admin disabled the login between the password and the second step (AUTH-4).
        throw new DomainError(ErrorCode.LoginDisabled);
      }
      const locked = await this.flows.lockLive(manager, flowId);
      const now = this.clock.now();
      const check = await method.verify(manager, locked, account, dto.code, now);
      if (!check.ok && check.alreadyCounted) {
        return { kind: 'wrong' };
      }
      if (!check.ok) {
        const exhausted = check.attemptsLeft === 0;
        await facts.record(manager, {
          type: 'auth.second_factor.failed',
          target,
          outcome: 'failure',
          reasons: exhausted ? [dto.method, 'attempts_exhausted'] : [dto.method],
        });
        // AUTH-6 (ours): wrong answers in a row across flows lock the account like wrong passwords.
        const lockedNow = await this.lockout.recordCodeFailure(key, manager);
        if (lockedNow) {
          await facts.record(manager, {
            type: 'auth.login.locked_out',
            outcome: 'denied',
            reasons: ['code_failures'],
          });
        }
        return { kind: 'wrong', attemptsLeft: check.attemptsLeft, lockedNow };
      }
      await this.lockout.recordCodeSuccess(key, manager);
      await facts.record(manager, {
        type: 'auth.second_factor.succeeded',
        target,
        outcome: 'success',
        reasons: [dto.method],
      });

      if (locked.purpose === 'step_up') {
        await this.flows.complete(manager, locked, now);
        await facts.record(manager, {
          type: 'auth.step_up.succeeded',
          target,
          outcome: 'success',
          reasons: [dto.method],
        });
        const result = await this.sessions.completeStepUp(manager, locked.sessionId as string, account, now);
        return { kind: 'done', result };
      }

      const trustBrowserName = dto.trustBrowser?.name.trim() || null;
      if (await this.completion.owesInitialPassword(manager, account.user.id)) {
        await this.flows.advanceToInitialPassword(manager, locked, now, dto.method, trustBrowserName);
        return { kind: 'done', result: { status: 'initial_password_required', flowId } };
      }
      const result = await this.completion.finish(manager, account, {
        flow: locked,
        secondFactorAt: now,
        methods: ['password', dto.method],
        trustBrowserName,
        ctx,
      });
      return { kind: 'done', result };
    });

    switch (outcome.kind) {
      case 'done':
        return outcome.result;
      case 'wrong':
        if (outcome.lockedNow) {
          // The owner learns that someone tried, and when the ID unlocks (NOTIF-3), as for wrong
          // passwords (CredentialRefusal); queued once the lock has committed, not awaited.
          const until = new Date(this.clock.now().getTime() + LOCK_DURATION_MS).toISOString();
          void this.notices.send(this.notices.notice(account, 'account-locked', { until }));
        }
        throw new DomainError(
          ErrorCode.InvalidCode,
          outcome.attemptsLeft === undefined ? undefined : { attemptsLeft: outcome.attemptsLeft },
        );
      case 'locked':
        throw new DomainError(ErrorCode.AccountLocked, { retryAfter: outcome.retryAfter });
    }
  }

  private async requireAccount(userId: string): Promise<LoginAccount> {
    const account = await this.accounts.findById(userId);
    if (!account) {
      throw new DomainError(ErrorCode.FlowExpired);
    }
    return account;
  }
}

/**
 * A step-up refreshes the second step of ONE session: its verify must come with that session's
 * access token. Without a token the answer is `401 unauthorized` (the client must send it); with
 * the token of another session or user, `flow_expired`, exactly as for a flow that does not exist.
 * Otherwise whoever saw the flow id (a log line, a shoulder) could spend the code or the approval
 * and take the fresh tokens of a session that is not theirs.
 */
function requireOwnSession(flow: LoginFlow, ctx: CallContext): void {
  const principal = ctx.principal;
  if (!principal) {
    throw new DomainError(ErrorCode.Unauthorized);
  }
  if (principal.sessionId !== flow.sessionId || principal.id !== flow.userId) {
    throw new DomainError(ErrorCode.FlowExpired);
  }
}
