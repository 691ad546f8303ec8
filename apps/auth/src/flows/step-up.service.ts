import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AuthEnv, Clock } from '@app/config';
import { DomainError, ErrorCode, Principal } from '@app/contracts';
import { RequestContext } from '@app/observability';
import { AuditFacts } from '../users/audit-facts';
import { LoginAccountRepository } from '../users/login-account.repository';
import { FlowsRepository } from './flows.repository';
import { LoginFlowService } from './login-flow.service';
import { SecondStepMethods } from './second-step-methods';

/**
 * Step-up for sensitive operations (AUTH-12). A sensitive use case calls `require` first: when the
 * caller's session completed a second step within STEP_UP_WINDOW_SECONDS it returns, otherwise it
 * opens a step-up flow bound to that session and answers `403 step_up_required` with the flow id and
 * the methods. The client completes `…/challenge` + `…/verify` on the flow, gets fresh tokens for
 * the same session and repeats the call. The session row is the authority, not the token's `sfa`
 * claim, so a copied old token cannot claim a fresh second step.
 */
@Injectable()
export class StepUpService {
  constructor(
    private readonly repository: FlowsRepository,
    private readonly flows: LoginFlowService,
    private readonly accounts: LoginAccountRepository,
    private readonly methods: SecondStepMethods,
    private readonly facts: AuditFacts,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AuthEnv,
  ) {}

  /**
   * Passes when the caller's session has a second step younger than the window; else throws
   * `step_up_required` with `details.flowId` and `details.methods`. `action` names the operation in
   * the audit trail (e.g. `password.change`).
   */
  async require(principal: Principal | undefined, action: string): Promise<void> {
    if (!principal) {
      throw new DomainError(ErrorCode.Unauthorized);
    }
    const session = await this.repository.sessionOf(principal.id, principal.sessionId);
    const now = this.clock.now();
    if (!session || session.revokedAt || now.getTime() >= session.expiresAt.getTime()) {
      throw new DomainError(ErrorCode.SessionEnded);
    }
    const windowMs = this.config.STEP_UP_WINDOW_SECONDS * 1000;
    if (session.secondFactorAt && now.getTime() - session.secondFactorAt.getTime() < windowMs) {
      return;
    }
    const account = await this.accounts.findById(principal.id);
    if (!account) {
      throw new DomainError(ErrorCode.SessionEnded);
    }
    // The codes of a step-up go where the session's tenant sends them (AUTH-7).
    const methods = await this.methods.offers(account, principal.tenant ?? null);
    const ctx = RequestContext.current() ?? { requestId: RequestContext.requestId() };
    const flow = await this.repository.transaction(async (manager) => {
      const opened = await this.flows.open(manager, account.user.id, 'step_up', ctx, {
        sessionId: session.id,
      });
      await this.facts.of(account, principal.tenant).record(manager, {
        type: 'auth.step_up.required',
        target: { type: 'login_flow', id: opened.id },
        outcome: 'info',
        reasons: [action],
      });
      return opened;
    });
    throw new DomainError(ErrorCode.StepUpRequired, {
      flowId: flow.id,
      expiresAt: flow.expiresAt.toISOString(),
      methods,
    });
  }
}
