import { Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { CallContext, DomainError, ErrorCode, LoginResult } from '@app/contracts';
import { CredentialRefusal } from '../lockout/credential-refusal';
import { LockoutService } from '../lockout/lockout.service';
import { LoginAccountRepository } from '../users/login-account.repository';
import { LoginCompletion } from './login-completion.service';
import { LoginFlowService } from '../flows/login-flow.service';
import { PasswordHasher } from '../password/password-hasher';
import { PasswordStepRepository } from './password-step.repository';

/**
 * The initial authentication password (AUTH-14): an admin registered by another admin enters it once,
 * after the second step of their first login. It is a credential like the password, so the lockout
 * applies (a try is reserved before the hash is checked, AUTH-3) and a wrong one counts as a failure.
 */
@Injectable()
export class InitialPasswordService {
  constructor(
    private readonly step: PasswordStepRepository,
    private readonly flows: LoginFlowService,
    private readonly accounts: LoginAccountRepository,
    private readonly lockout: LockoutService,
    private readonly hasher: PasswordHasher,
    private readonly completion: LoginCompletion,
    private readonly refusal: CredentialRefusal,
    private readonly clock: Clock,
  ) {}

  /** `auth.login.initial_password`. */
  async enter(flowId: string, initialPassword: string, ctx: CallContext): Promise<LoginResult> {
    const flow = await this.flows.live(flowId);
    if (flow.stage !== 'initial_password') {
      throw new DomainError(ErrorCode.FlowExpired);
    }
    const account = await this.accounts.findById(flow.userId);
    if (!account) {
      throw new DomainError(ErrorCode.FlowExpired);
    }
    const key = account.user.userIdKey;
    const reservation = await this.lockout.reserveAttempt(key);
    if (!reservation.allowed) {
      throw new DomainError(ErrorCode.AccountLocked, { retryAfter: reservation.retryAfterSeconds });
    }
    const stored = await this.step.initialPassword(account.user.id);
    const ok = await this.hasher.verify(
      stored && !stored.usedAt ? stored.passwordHash : null,
      initialPassword,
    );
    if (!ok) {
      await this.refusal.refuse(key, account, {
        type: 'auth.login.initial_password_failed',
        target: { type: 'login_flow', id: flowId },
        reasons: ['wrong_initial_password'],
      });
    }
    return this.step.transaction(async (manager) => {
      const locked = await this.flows.lockLive(manager, flowId);
      const now = this.clock.now();
      // Single use: of two concurrent right answers only one finds it unused.
      const used = await this.step.useInitialPassword(manager, account.user.id, now);
      if (!used || locked.stage !== 'initial_password') {
        throw new DomainError(ErrorCode.FlowExpired);
      }
      await this.lockout.recordSuccess(key, manager);
      return this.completion.finish(manager, account, {
        flow: locked,
        secondFactorAt: locked.secondFactorAt,
        methods: [
          'password',
          ...(locked.secondFactorMethod ? [locked.secondFactorMethod] : []),
          'initial_password',
        ],
        trustBrowserName: locked.trustBrowserName,
        ctx,
      });
    });
  }
}
