import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { AuthenticatedResult, CallContext } from '@app/contracts';
import { ProjectedStatement } from '@app/database';
import { SessionsService } from '../sessions/sessions.service';
import { TrustedBrowsersService } from '../trusted-browsers/trusted-browsers.service';
import { PasswordStepRepository } from './password-step.repository';
import { AuditFacts } from '../users/audit-facts';
import { LoginAccount } from '../users/login-account';
import { LoginFlow } from '../flows/login-flow.entity';
import { LoginFlowService } from '../flows/login-flow.service';

export interface FinishLogin {
  /** The flow this login went through, completed here; absent when no flow was needed. */
  flow?: LoginFlow;
  /** When a second step was completed in this login, null when none was owed. */
  secondFactorAt: Date | null;
  /** How the user proved who they are, for the audit trail, e.g. `['password', 'sms']`, `['passkey']`. */
  methods: string[];
  /** "Trust this browser" with its name (AUTH-9). */
  trustBrowserName?: string | null;
  ctx: CallContext;
  /** Changes sent in the statement of `auth.login.succeeded` (e.g. the password count's reset). */
  alongside?: ProjectedStatement[];
}

/**
 * The end of every successful login, whatever the way in (password only, password and a second
 * step, initial password, passkey): the flow completes, `auth.login.succeeded` is written, a session
 * starts and, when asked, the browser becomes trusted — all in the caller's transaction.
 */
@Injectable()
export class LoginCompletion {
  constructor(
    private readonly flows: LoginFlowService,
    private readonly sessions: SessionsService,
    private readonly trustedBrowsers: TrustedBrowsersService,
    private readonly step: PasswordStepRepository,
    private readonly facts: AuditFacts,
    private readonly clock: Clock,
  ) {}

  async finish(
    manager: EntityManager,
    account: LoginAccount,
    finish: FinishLogin,
  ): Promise<AuthenticatedResult> {
    if (finish.flow) {
      await this.flows.complete(manager, finish.flow, this.clock.now());
    }
    await this.facts.of(account).record(
      manager,
      {
        type: 'auth.login.succeeded',
        ...(finish.flow ? { target: { type: 'login_flow', id: finish.flow.id } } : {}),
        outcome: 'success',
        reasons: finish.methods,
      },
      finish.alongside,
    );
    const result = await this.sessions.start(manager, account, {
      secondFactorAt: finish.secondFactorAt,
      ip: finish.ctx.ip,
      userAgent: finish.ctx.userAgent,
    });
    if (finish.trustBrowserName) {
      const deviceToken = await this.trustedBrowsers.issue(
        manager,
        account,
        finish.trustBrowserName,
        finish.ctx,
      );
      if (deviceToken) {
        result.deviceToken = deviceToken;
      }
    }
    return result;
  }

  /** An admin registered by another admin still owes the initial authentication password (AUTH-14). */
  async owesInitialPassword(manager: EntityManager, userId: string): Promise<boolean> {
    const row = await this.step.initialPassword(userId, manager);
    return row !== null && row.usedAt === null;
  }
}
