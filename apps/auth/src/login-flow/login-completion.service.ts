import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { AuthenticatedResult, CallContext } from '@app/contracts';
import { ProjectedStatement } from '@app/database';
import { SessionsService } from '../sessions/sessions.service';
import { TrustedBrowsersService } from '../trusted-browsers/trusted-browsers.service';
import { PasswordStepRepository } from './password-step.repository';
import { AuditFacts, OutcomeWrite } from '../users/audit-facts';
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
  /**
   * What the step that ended here already gathered (its code consumed, its facts): the end of the
   * login is added to it, and all of it goes in one statement.
   */
  outcome?: OutcomeWrite;
}

/**
 * The end of every successful login, whatever the way in (password only, password and a second
 * step, initial password, passkey): the flow completes, `auth.login.succeeded` is written, a session
 * starts and, when asked, the browser becomes trusted — all in the caller's transaction. The flow,
 * the fact, the session and its fact are one statement (issue 13): without a browser to trust,
 * `finish` is a single round trip, atomic on its own.
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
    const outcome = finish.outcome ?? this.facts.outcome();
    if (finish.flow) {
      // The caller holds the flow's row (lockLive or a locked read) and found it pending.
      outcome.change(this.flows.completeStatement(finish.flow, this.clock.now()));
    }
    outcome.change(...(finish.alongside ?? []));
    outcome.fact(this.facts.of(account), {
      type: 'auth.login.succeeded',
      ...(finish.flow ? { target: { type: 'login_flow', id: finish.flow.id } } : {}),
      outcome: 'success',
      reasons: finish.methods,
    });
    const result = this.sessions.startWith(outcome, account, {
      secondFactorAt: finish.secondFactorAt,
      ip: finish.ctx.ip,
      userAgent: finish.ctx.userAgent,
    });
    await outcome.commit(manager);
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
