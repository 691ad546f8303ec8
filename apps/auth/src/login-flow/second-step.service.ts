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
import { SecondStepRepository } from './second-step.repository';
import { AuditFacts } from '../users/audit-facts';
import { LoginAccount } from '../users/login-account';
import { LoginAccountRepository } from '../users/login-account.repository';
import { LoginCompletion } from './login-completion.service';
import { LoginFlow } from '../flows/login-flow.entity';
import { LoginFlowService } from '../flows/login-flow.service';
import { SecondStepMethods } from '../flows/second-step-methods';

type VerifyOutcome = { account: LoginAccount } & (
  | { kind: 'done'; result: LoginResult }
  | { kind: 'wrong'; attemptsLeft?: number; lockedNow?: boolean }
  | { kind: 'locked'; retryAfter: number }
);

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
    private readonly reads: SecondStepRepository,
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

  /**
   * `auth.login.verify`. Four round trips for a code (issue 13): BEGIN, the one read under lock
   * (SecondStepRepository.lockForVerify), the one statement that writes the outcome with its facts
   * (OutcomeWrite), COMMIT. The checks run in the order they always have: the flow, its owner for a
   * step-up, the method, the lock, the disabled login, the answer.
   */
  async verify(flowId: string, dto: VerifyDto, ctx: CallContext): Promise<LoginResult> {
    if (!this.flows.isFlowId(flowId)) {
      throw new DomainError(ErrorCode.FlowExpired);
    }
    const outcome = await this.reads.transaction(async (manager): Promise<VerifyOutcome> => {
      const now = this.clock.now();
      const read = await this.reads.lockForVerify(manager, flowId, now);
      if (!read) {
        // Unknown, finished or past its time: nothing was locked.
        throw new DomainError(ErrorCode.FlowExpired);
      }
      // The flow as it is now, had a concurrent verify finished it while this one waited.
      const locked = this.flows.requireLive(read.flow);
      if (locked.stage !== 'second_factor') {
        throw new DomainError(ErrorCode.FlowExpired);
      }
      if (locked.purpose === 'step_up') {
        requireOwnSession(locked, ctx);
      }
      const method = this.methods.get(dto.method);
      const { account, throttle, latestCode } = read;
      const key = account.user.userIdKey;
      const target = { type: 'login_flow', id: flowId };
      // A step-up's facts are its tenant's; a login's are the account's (AUDIT_EVENT_SCOPES).
      const facts = this.facts.of(account, read.actingTenant);
      const write = this.facts.outcome();

      const lockedFor = this.lockout.lockedForHeld(throttle);
      if (lockedFor !== null) {
        await write.fact(facts, refusedLocked(target)).commit(manager);
        return { kind: 'locked', retryAfter: lockedFor, account };
      }
      if (account.user.loginDisabled) {
        // An admin disabled the login between the password and the second step (AUTH-4).
        throw new DomainError(ErrorCode.LoginDisabled);
      }
      const check = await method.verify(manager, locked, account, dto.code, now, { latestCode });
      write.change(...(check.writes ?? []));
      if (!check.ok && check.alreadyCounted) {
        if (check.writes?.length) {
          throw new Error('a method that counted the answer itself has nothing more to write');
        }
        return { kind: 'wrong', account };
      }
      if (!check.ok) {
        const exhausted = check.attemptsLeft === 0;
        write.fact(facts, {
          type: 'auth.second_factor.failed',
          target,
          outcome: 'failure',
          reasons: exhausted ? [dto.method, 'attempts_exhausted'] : [dto.method],
        });
        // AUTH-6 (ours): wrong answers in a row across flows lock the account like wrong passwords.
        const failure = this.lockout.codeFailure(key, throttle);
        write.change(failure.statement);
        if (failure.locks) {
          write.fact(facts, {
            type: 'auth.login.locked_out',
            outcome: 'denied',
            reasons: ['code_failures'],
          });
        }
        await write.commit(manager);
        return { kind: 'wrong', attemptsLeft: check.attemptsLeft, lockedNow: failure.locks, account };
      }
      write.change(this.lockout.codeSuccessStatement(key));
      write.fact(facts, {
        type: 'auth.second_factor.succeeded',
        target,
        outcome: 'success',
        reasons: [dto.method],
      });

      if (locked.purpose === 'step_up') {
        write.change(this.flows.completeStatement(locked, now));
        write.fact(facts, {
          type: 'auth.step_up.succeeded',
          target,
          outcome: 'success',
          reasons: [dto.method],
        });
        await write.commit(manager);
        const result = await this.sessions.completeStepUp(manager, locked.sessionId as string, account, now);
        return { kind: 'done', result, account };
      }

      const trustBrowserName = dto.trustBrowser?.name.trim() || null;
      if (read.owesInitialPassword) {
        write.change(this.flows.advanceStatement(locked, now, dto.method, trustBrowserName));
        await write.commit(manager);
        return { kind: 'done', result: { status: 'initial_password_required', flowId }, account };
      }
      const result = await this.completion.finish(manager, account, {
        flow: locked,
        secondFactorAt: now,
        methods: ['password', dto.method],
        trustBrowserName,
        ctx,
        outcome: write,
      });
      return { kind: 'done', result, account };
    });

    switch (outcome.kind) {
      case 'done':
        return outcome.result;
      case 'wrong':
        if (outcome.lockedNow) {
          // The owner learns that someone tried, and when the ID unlocks (NOTIF-3), as for wrong
          // passwords (CredentialRefusal); queued once the lock has committed, not awaited.
          const until = new Date(this.clock.now().getTime() + LOCK_DURATION_MS).toISOString();
          void this.notices.send(this.notices.notice(outcome.account, 'account-locked', { until }));
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
