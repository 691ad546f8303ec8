import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import {
  ApprovalDecision,
  ApprovalOutcomeView,
  ApprovalRequestView,
  DomainError,
  ErrorCode,
} from '@app/contracts';
import { LockoutService } from '../lockout/lockout.service';
import { actingTenantOf } from '../flows/acting-tenant.util';
import { PushRepository } from './push.repository';
import { AuditFacts } from '../users/audit-facts';
import { LoginAccount } from '../users/login-account';
import { LoginAccountRepository } from '../users/login-account.repository';
import { SendCaps } from '../send-caps/send-caps.service';
import { ApproversService } from './approvers.service';

/**
 * The approver app's side of app approval (AUTH-13), authenticated by its token: it sees only the
 * pending, unexpired requests of its own user's live flows, and decides one. Approving needs the
 * number the login screen shows; any other number turns the approval into a denial, so a login the
 * user did not start cannot be waved through by a tap. A denial counts at once as a wrong answer
 * toward the account lockout (AUTH-6: 10 in a row lock), in the same transaction as the decision.
 */
@Injectable()
export class ApprovalRequestsService {
  constructor(
    private readonly push: PushRepository,
    private readonly approvers: ApproversService,
    private readonly accounts: LoginAccountRepository,
    private readonly facts: AuditFacts,
    private readonly lockout: LockoutService,
    private readonly caps: SendCaps,
    private readonly clock: Clock,
  ) {}

  async pending(approverToken: string): Promise<ApprovalRequestView[]> {
    return this.push.transaction(async (manager) => {
      const approver = await this.approvers.authenticate(manager, approverToken);
      const rows = await this.push.pendingRequests(manager, approver.userId, this.clock.now());
      // The candidates in the order stored at creation; which one is right is never sent.
      return rows.map((r) => ({
        id: r.id,
        expiresAt: new Date(r.expires_at).toISOString(),
        ip: r.ip,
        userAgent: r.user_agent,
        candidates: r.candidates.map(Number),
      }));
    });
  }

  async decide(
    approverToken: string,
    requestId: string,
    decision: ApprovalDecision,
    matchNumber: number | undefined,
  ): Promise<ApprovalOutcomeView> {
    const outcome = await this.push.transaction(async (manager) => {
      const approver = await this.approvers.authenticate(manager, approverToken);
      const account = await this.accounts.findById(approver.userId);
      // The account's lockout row before the request's, in the order a verify takes them (no
      // deadlock with a verify of the same flow); a denial is counted on it below.
      if (account) {
        await this.lockout.holdForCodeCheck(manager, account.user.userIdKey);
      }
      // Another user's request is as unknown as a made-up id.
      const request = await this.push.lockRequest(manager, approver.userId, requestId);
      if (!request) {
        throw new DomainError(ErrorCode.NotFound);
      }
      if (request.status !== 'pending') {
        throw new DomainError(ErrorCode.Conflict, { reason: `already_${request.status}` });
      }
      const now = this.clock.now();
      const flow = await this.push.flowOf(manager, request.flowId);
      if (
        request.expiresAt.getTime() <= now.getTime() ||
        !flow ||
        flow.status !== 'pending' ||
        flow.expiresAt.getTime() <= now.getTime()
      ) {
        throw new DomainError(ErrorCode.CodeExpired);
      }
      const approved = decision === 'approve' && matchNumber === request.matchNumber;
      const status: ApprovalOutcomeView['status'] = approved ? 'approved' : 'denied';
      await this.push.updateRequest(manager, request.id, { status, decidedAt: now, decidedBy: approver.id });
      const tenant = await actingTenantOf(manager, flow);
      await this.facts.of(account, tenant).record(manager, {
        type: approved ? 'auth.push.approved' : 'auth.push.denied',
        target: { type: 'login_flow', id: request.flowId },
        outcome: approved ? 'success' : 'denied',
        reasons: approved ? ['number_matched'] : [decision === 'deny' ? 'denied_by_user' : 'number_mismatch'],
      });
      if (!approved && account) {
        await this.countDenial(manager, account, request.flowId, tenant);
      }
      return { status, userId: approver.userId, requestId: request.id };
    });
    // No longer open: the user's next login may ask again (best effort: it expires by itself too).
    await this.caps.closeApprovalRequests(outcome.userId, [outcome.requestId]).catch(() => undefined);
    return { status: outcome.status };
  }

  /**
   * Push fatigue: the denial is a wrong answer now, not when (or if) someone verifies the flow, so
   * prompting until a careless tap picks the right number locks the account after 10 like wrong codes.
   */
  private async countDenial(
    manager: EntityManager,
    account: LoginAccount,
    flowId: string,
    tenant: string | null,
  ): Promise<void> {
    await this.facts.of(account, tenant).record(manager, {
      type: 'auth.second_factor.failed',
      target: { type: 'login_flow', id: flowId },
      outcome: 'failure',
      reasons: ['push'],
    });
    if (await this.lockout.recordCodeFailure(account.user.userIdKey, manager)) {
      await this.facts.of(account).record(manager, {
        type: 'auth.login.locked_out',
        outcome: 'denied',
        reasons: ['code_failures'],
      });
    }
  }
}
