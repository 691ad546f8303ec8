import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CallContext, DomainError, ErrorCode, LoginDto, LoginResult, normalizeUserId } from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { CredentialRefusal } from '../lockout/credential-refusal';
import { LockoutService } from '../lockout/lockout.service';
import { PasswordHasher } from '../password/password-hasher';
import { SecondFactorDecider } from '../risk/second-factor-decider';
import { auditActor, LoginAccount, tenantNumbers } from '../users/login-account';
import { LoginAccountRepository } from '../users/login-account.repository';
import { LoginCompletion } from './login-completion.service';
import { LoginFlowService } from '../flows/login-flow.service';
import { SecondStepMethods } from '../flows/second-step-methods';

/**
 * The password step of a login (AUTH-2, AUTH-3, AUTH-5, AUTH-11). The lock is checked and a try reserved
 * before the password is even looked at, so concurrent guesses never get more than the allowed tries
 * through; unknown IDs walk the same path with a dummy hash, so neither the answer nor its timing
 * tells whether an ID exists.
 */
@Injectable()
export class PasswordLoginService {
  private readonly logger = new Logger(PasswordLoginService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: LoginAccountRepository,
    private readonly lockout: LockoutService,
    private readonly hasher: PasswordHasher,
    private readonly flows: LoginFlowService,
    private readonly methods: SecondStepMethods,
    private readonly decider: SecondFactorDecider,
    private readonly completion: LoginCompletion,
    private readonly outbox: OutboxWriter,
    private readonly refusal: CredentialRefusal,
  ) {}

  async login(dto: LoginDto, ctx: CallContext): Promise<LoginResult> {
    const key = normalizeUserId(dto.userId);
    const reservation = await this.lockout.reserveAttempt(key);
    if (!reservation.allowed) {
      const account = await this.accounts.findByKey(key);
      await this.dataSource.transaction((manager) =>
        this.outbox.record(manager, {
          type: 'auth.login.refused_locked',
          actor: auditActor(account),
          outcome: 'denied',
          reasons: ['account_locked'],
          tenants: tenantNumbers(account),
        }),
      );
      throw new DomainError(ErrorCode.AccountLocked, { retryAfter: reservation.retryAfterSeconds });
    }

    const account = await this.accounts.findByKey(key);
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
      return await this.afterRightPassword(known, key, dto, ctx);
    } catch (error) {
      // The password was right. The reserved try counts as a failure until a success settles it,
      // and the transaction that would have settled it may have rolled back with this error (a
      // flow or an audit row that could not be written): settle it here on its own, or a few
      // failures of ours would lock the user out (AUTH-3 counts wrong passwords only).
      try {
        await this.lockout.recordSuccess(key);
      } catch (settleError) {
        this.logger.error(
          { error: settleError instanceof Error ? settleError.message : String(settleError) },
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
  ): Promise<LoginResult> {
    // A right password resets the count (AUTH-3) in the transaction that writes what came of it.
    if (known.user.loginDisabled) {
      await this.dataSource.transaction(async (manager) => {
        await this.lockout.recordSuccess(key, manager);
        await this.outbox.record(manager, {
          type: 'auth.login.refused_disabled',
          actor: auditActor(known),
          outcome: 'denied',
          reasons: ['login_disabled'],
          tenants: tenantNumbers(known),
        });
      });
      throw new DomainError(ErrorCode.LoginDisabled);
    }

    const decision = await this.decider.decide(known, ctx, dto.deviceToken);
    if (decision.outcome === 'deny') {
      await this.dataSource.transaction(async (manager) => {
        await this.lockout.recordSuccess(key, manager);
        await this.outbox.record(manager, {
          type: 'auth.login.denied_risk',
          actor: auditActor(known),
          outcome: 'denied',
          reasons: decision.reasons,
          tenants: tenantNumbers(known),
        });
      });
      throw new DomainError(ErrorCode.LoginDenied);
    }

    if (decision.outcome === 'second_factor') {
      const methods = await this.methods.offers(known);
      return this.dataSource.transaction(async (manager) => {
        await this.lockout.recordSuccess(key, manager);
        const flow = await this.flows.open(manager, known.user.id, 'login', ctx);
        await this.outbox.record(manager, {
          type: 'auth.login.second_factor_required',
          actor: auditActor(known),
          target: { type: 'login_flow', id: flow.id },
          outcome: 'info',
          reasons: decision.reasons,
          tenants: tenantNumbers(known),
        });
        return {
          status: 'second_factor_required',
          flowId: flow.id,
          expiresAt: flow.expiresAt.toISOString(),
          methods,
          reasons: decision.reasons,
        };
      });
    }

    return this.dataSource.transaction(async (manager) => {
      await this.lockout.recordSuccess(key, manager);
      if (await this.completion.owesInitialPassword(manager, known.user.id)) {
        // No second step owed (a trusted browser), but the initial password still is (AUTH-14).
        const flow = await this.flows.open(manager, known.user.id, 'login', ctx, {
          stage: 'initial_password',
        });
        return { status: 'initial_password_required', flowId: flow.id };
      }
      return this.completion.finish(manager, known, {
        secondFactorAt: null,
        methods: decision.trustedBrowserId ? ['password', 'trusted_browser'] : ['password'],
        ctx,
      });
    });
  }
}
