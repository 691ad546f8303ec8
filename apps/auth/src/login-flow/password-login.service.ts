import { Injectable } from '@nestjs/common';
import { CallContext, DomainError, ErrorCode, LoginDto, LoginResult, normalizeUserId } from '@app/contracts';
import { AppLogger, InjectLogger } from '@app/observability';
import { CredentialRefusal, refusedLocked } from '../lockout/credential-refusal';
import { LockoutService } from '../lockout/lockout.service';
import { PasswordHasher } from '../password/password-hasher';
import { LoginMemoryRows } from '../risk/login-memory';
import { SecondFactorDecider } from '../risk/second-factor-decider';
import { AuditFacts } from '../users/audit-facts';
import { LoginAccount } from '../users/login-account';
import { LoginFlowService } from '../flows/login-flow.service';
import { SecondStepMethods } from '../flows/second-step-methods';
import { LoginCompletion } from './login-completion.service';
import { PasswordStepRepository } from './password-step.repository';

/**
 * The password step of a login (AUTH-2, AUTH-3, AUTH-5, AUTH-11). The lock is checked and a try reserved
 * before the password is even looked at, so concurrent guesses never get more than the allowed tries
 * through; unknown IDs walk the same path with a dummy hash, so neither the answer nor its timing
 * tells whether an ID exists.
 */
@Injectable()
export class PasswordLoginService {
  private readonly logger: AppLogger;

  constructor(
    private readonly step: PasswordStepRepository,
    private readonly lockout: LockoutService,
    private readonly hasher: PasswordHasher,
    private readonly flows: LoginFlowService,
    private readonly methods: SecondStepMethods,
    private readonly decider: SecondFactorDecider,
    private readonly completion: LoginCompletion,
    private readonly facts: AuditFacts,
    private readonly refusal: CredentialRefusal,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: PasswordLoginService.name });
  }

  async login(dto: LoginDto, ctx: CallContext): Promise<LoginResult> {
    const key = normalizeUserId(dto.userId);
    // One statement reserves the try and reads all the step needs, for a known and an unknown ID alike.
    const { reservation, account, memory } = await this.step.reserveAndRead(key);
    if (!reservation.allowed) {
      await this.facts.of(account).record(this.step.standalone, refusedLocked());
      throw new DomainError(ErrorCode.AccountLocked, { retryAfter: reservation.retryAfterSeconds });
    }

    const passwordOk = await this.hasher.verify(account?.user.passwordHash ?? null, dto.password);
    if (!passwordOk || !account) {
      // A wrong password, an unknown ID or an account without a password: one answer for all three.
      await this.refusal.refuse(key, account, {
        type: 'auth.login.failed',
        reasons: [!account ? 'unknown_user' : account.user.passwordHash ? 'wrong_password' : 'no_password'],
      });
    }
    const known = account as LoginAccount;
    try {
      return await this.afterRightPassword(known, key, dto, ctx, memory ?? undefined);
    } catch (error) {
      // The password was right. The reserved try counts as a failure until a success settles it,
      // and the transaction that would have settled it may have rolled back with this error (a
      // flow or an audit row that could not be written): settle it here on its own, or a few
      // failures of ours would lock the user out (AUTH-3 counts wrong passwords only).
      try {
        await this.lockout.recordSuccess(key);
      } catch (settleError) {
        this.logger.error(
          { err: settleError instanceof Error ? settleError.message : String(settleError) },
          'could not settle a right password after a failure',
        );
      }
      throw error;
    }
  }

  /** Everything after a right password: the disabled check, the risk check, the flow or the session. */
  private async afterRightPassword(
    known: LoginAccount,
    key: string,
    dto: LoginDto,
    ctx: CallContext,
    memory: LoginMemoryRows | undefined,
  ): Promise<LoginResult> {
    // A right password resets the count (AUTH-3) in the statement (or the transaction) that writes
    // what came of it: the reset travels with the fact, so both commit or neither does.
    const reset = this.lockout.successStatement(key);
    if (known.user.loginDisabled) {
      await this.facts.of(known).record(
        this.step.standalone,
        {
          type: 'auth.login.refused_disabled',
          outcome: 'denied',
          reasons: ['login_disabled'],
        },
        [reset],
      );
      throw new DomainError(ErrorCode.LoginDisabled);
    }

    const decision = await this.decider.decide(known, ctx, dto.deviceToken, memory);
    if (decision.outcome === 'deny') {
      await this.facts.of(known).record(
        this.step.standalone,
        {
          type: 'auth.login.denied_risk',
          outcome: 'denied',
          reasons: decision.reasons,
        },
        [reset],
      );
      throw new DomainError(ErrorCode.LoginDenied);
    }

    if (decision.outcome === 'second_factor') {
      const methods = await this.methods.offers(known);
      // The count reset, the flow and its fact in one statement: one round trip, atomic.
      const { flow, insert } = this.flows.draft(known.user.id, 'login', ctx);
      await this.facts.of(known).record(
        this.step.standalone,
        {
          type: 'auth.login.second_factor_required',
          target: { type: 'login_flow', id: flow.id },
          outcome: 'info',
          reasons: decision.reasons,
        },
        [reset, insert],
      );
      return {
        status: 'second_factor_required',
        flowId: flow.id,
        expiresAt: flow.expiresAt.toISOString(),
        methods,
        reasons: decision.reasons,
      };
    }

    const methods = decision.trustedBrowserId ? ['password', 'trusted_browser'] : ['password'];
    if (known.preloaded?.owesInitialPassword === false) {
      // The count reset, the session and its facts are one statement (LoginCompletion.finish): atomic
      // on its own, so no transaction is opened for it (issue 13: one read, the hash, one write).
      return this.completion.finish(this.step.standalone, known, {
        secondFactorAt: null,
        methods,
        ctx,
        alongside: [reset],
      });
    }
    return this.step.transaction(async (manager) => {
      const owesInitialPassword =
        known.preloaded?.owesInitialPassword ??
        (await this.completion.owesInitialPassword(manager, known.user.id));
      if (owesInitialPassword) {
        // No second step owed (a trusted browser), but the initial password still is (AUTH-14).
        await this.lockout.recordSuccess(key, manager);
        const flow = await this.flows.open(manager, known.user.id, 'login', ctx, {
          stage: 'initial_password',
        });
        return { status: 'initial_password_required', flowId: flow.id };
      }
      return this.completion.finish(manager, known, {
        secondFactorAt: null,
        methods,
        ctx,
        alongside: [reset],
      });
    });
  }
}
