import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AuthEnv, Clock } from '@app/config';
import {
  CallContext,
  ChallengeResult,
  DomainError,
  ErrorCode,
  LoginApprovalStatusView,
  MethodOption,
} from '@app/contracts';
import { LockoutService } from '../lockout/lockout.service';
import { actingTenantOf } from '../flows/acting-tenant.util';
import { PushRepository } from './push.repository';
import { AuditFacts } from '../users/audit-facts';
import { LoginAccount } from '../users/login-account';
import { LoginFlow } from '../flows/login-flow.entity';
import { LoginFlowService } from '../flows/login-flow.service';
import { SecondStepCheck } from '../flows/second-step-method';
import { SecondStepMethods } from '../flows/second-step-methods';
import { CapRefusal, SendCaps } from '../send-caps/send-caps.service';
import { ApproversService } from './approvers.service';
import { PushApprover } from './push-approver.entity';
import { PushRequest } from './push-request.entity';
import { matchCandidates, newMatchNumber } from './match-number.util';

/**
 * The `push` second step (AUTH-13): app approval with number matching *(ours)*.
 *
 * A challenge creates an approval request for the flow with a two-digit number that the login screen
 * shows; the user's approver app lists it (polling `GET /approver/requests`: Mamori sends no push
 * notification through a vendor) and approves by picking that number among three, or denies. The
 * login screen polls `GET /auth/login/{flowId}` and then verifies with `{method:"push"}`:
 * - approved, unexpired, the flow's latest request, not used yet → the second step is done (once);
 * - still pending → `409 approval_pending` (not an answer: nothing is counted);
 * - denied (also: approved with a wrong number) → a wrong answer like a wrong code, counted toward
 *   the account lockout (AUTH-6) at once when the app denies (ApprovalRequestsService), whether or
 *   not anyone verifies afterwards: otherwise whoever holds the password could prompt until a careless
 *   tap picks the right number, and the account would never lock (push fatigue). The verify answers
 *   `401 invalid_code` without counting it again. We chose invalid_code over `approval_denied` so
 *   that every failure of a second step looks the same to the client and in the audit trail; the
 *   denial itself is consumed, so a further verify of it is `410 code_expired`;
 * - at most PUSH_OPEN_REQUESTS_CAP requests of a user are open at once (NOTIF-7): one more is
 *   `429 too_many_messages`;
 * - expired (2 minutes, PUSH_APPROVAL_TTL_SECONDS) or none → `410 code_expired`.
 * The flow can always fall back to a security code (challenge `sms`/`email` on the same flow).
 *
 * "After approval the password is still required if not yet given" (AUTH-13): in Mamori a login flow
 * only exists after a right password (POST /auth/login opens it), and a step-up flow belongs to a
 * session that began with one, so the password has always been given when an approval completes a
 * flow; approval never stands in for the password.
 */
@Injectable()
export class PushSecondStepService implements OnModuleInit {
  constructor(
    private readonly push: PushRepository,
    private readonly methods: SecondStepMethods,
    private readonly flows: LoginFlowService,
    private readonly approvers: ApproversService,
    private readonly lockout: LockoutService,
    private readonly facts: AuditFacts,
    private readonly caps: SendCaps,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AuthEnv,
  ) {}

  onModuleInit(): void {
    this.methods.register({
      type: 'push',
      offer: (account) => this.offer(account),
      challenge: (flow, account, ctx) => this.challenge(flow, account, ctx),
      verify: (manager, flow, account, _code, now) => this.check(manager, flow, account, now),
    });
  }

  /** `GET /auth/login/{flowId}`: the state of the flow's latest approval request. */
  async status(flowId: string): Promise<LoginApprovalStatusView> {
    const flow = await this.flows.live(flowId);
    const latest = await this.push.latestRequest(flow.id);
    if (!latest) {
      throw new DomainError(ErrorCode.NotFound);
    }
    return { status: this.stateOf(latest, this.clock.now()) };
  }

  private async offer(account: LoginAccount): Promise<MethodOption | null> {
    const approvers =
      account.preloaded?.pushApproverNames ??
      (await this.push.liveApprovers(account.user.id)).map((a) => a.name);
    return approvers.length > 0 ? { type: 'push', destination: approvers.join(', ') } : null;
  }

  private async challenge(
    flow: LoginFlow,
    account: LoginAccount,
    _ctx: CallContext,
  ): Promise<ChallengeResult> {
    const resendAfter = this.config.CODE_RESEND_AFTER_SECONDS;
    const outcome = await this.push.transaction(async (manager): Promise<RequestOutcome> => {
      await this.flows.lockLive(manager, flow.id);
      const tenant = await actingTenantOf(manager, flow);
      // A locked account gets no approval requests: its owner's phone must not be a target either.
      const lockedFor = await this.lockout.lockedFor(account.user.userIdKey, manager);
      if (lockedFor !== null) {
        throw new DomainError(ErrorCode.AccountLocked, { retryAfter: lockedFor });
      }
      const live = await this.approvers.live(manager, account.user.id);
      if (live.length === 0) {
        throw new DomainError(ErrorCode.MethodNotAvailable);
      }
      const now = this.clock.now();
      const latest = await this.push.latestRequest(flow.id, manager);
      // The same wait as a resent code: no flood of requests on the user's phone (push fatigue).
      const resendAt = latest ? latest.createdAt.getTime() + resendAfter * 1000 : 0;
      if (now.getTime() < resendAt) {
        throw new DomainError(ErrorCode.ResendTooSoon, {
          retryAfter: Math.ceil((resendAt - now.getTime()) / 1000),
        });
      }
      // One live request per flow: the earlier ones leave the app's list.
      const closed = await this.push.supersedeRequests(manager, flow.id, now);
      const id = randomUUID();
      const expiresAt = new Date(now.getTime() + this.config.PUSH_APPROVAL_TTL_SECONDS * 1000);
      const refusal = await this.openRequest(account, id, expiresAt, closed);
      if (refusal) {
        await this.facts.of(account, tenant).record(manager, {
          type: 'auth.send_cap.reached',
          target: { type: 'login_flow', id: flow.id },
          outcome: 'denied',
          reasons: ['push', refusal.scope, flow.purpose],
        });
        return { kind: 'capped', refusal };
      }
      const matchNumber = newMatchNumber();
      const created: PushRequest = {
        id,
        flowId: flow.id,
        userId: account.user.id,
        matchNumber,
        candidates: matchCandidates(matchNumber),
        status: 'pending',
        createdAt: now,
        expiresAt,
        decidedAt: null,
        decidedBy: null,
        consumedAt: null,
      };
      await this.push.insertRequest(manager, created);
      await this.facts.of(account, tenant).record(manager, {
        type: 'auth.push.requested',
        target: { type: 'login_flow', id: flow.id },
        outcome: 'info',
        reasons: [flow.purpose],
      });
      return { kind: 'opened', request: created, approvers: live };
    });
    if (outcome.kind === 'capped') {
      throw new DomainError(ErrorCode.TooManyMessages, { retryAfter: outcome.refusal.retryAfter });
    }
    const { request, approvers } = outcome;
    return {
      method: 'push',
      destination: names(approvers),
      expiresAt: request.expiresAt.toISOString(),
      resendAfter,
      sentAt: request.createdAt.toISOString(),
      matchNumber: request.matchNumber,
    };
  }

  /** Inside SecondStepService's verify transaction (account lockout row and flow row held). */
  private async check(
    manager: EntityManager,
    flow: LoginFlow,
    _account: LoginAccount,
    now: Date,
  ): Promise<SecondStepCheck> {
    const latest = await this.push.latestRequest(flow.id, manager, true);
    if (!latest || latest.consumedAt) {
      throw new DomainError(ErrorCode.CodeExpired);
    }
    const state = this.stateOf(latest, now);
    switch (state) {
      case 'pending':
        throw new DomainError(ErrorCode.ApprovalPending);
      case 'expired':
        throw new DomainError(ErrorCode.CodeExpired);
      case 'approved':
      case 'denied':
        if (state === 'approved' && !(await this.deciderLive(manager, latest))) {
          // The approving app was revoked since (by its user or an MFA reset, AUTH-19).
          throw new DomainError(ErrorCode.CodeExpired);
        }
        // Used once: an approval completes one flow, a denial is reported once.
        await this.push.updateRequest(manager, latest.id, { consumedAt: now });
        return state === 'approved' ? { ok: true } : { ok: false, alreadyCounted: true };
    }
  }

  /** NOTIF-7: Redis unreachable means the cap cannot be kept: no request, the caller may try again. */
  private async openRequest(
    account: LoginAccount,
    id: string,
    expiresAt: Date,
    closed: string[],
  ): Promise<CapRefusal | null> {
    try {
      return await this.caps.openApprovalRequest(account.user.id, id, expiresAt, closed);
    } catch {
      throw new DomainError(ErrorCode.ServiceUnavailable);
    }
  }

  /**
   * A request's state as the login screen sees it. A denial stays a denial. Expiry ends a pending or
   * approved request (an approval must be used within the request's life), and a used approval is
   * over too.
   */
  private stateOf(request: PushRequest, now: Date): LoginApprovalStatusView['status'] {
    if (request.status === 'denied') {
      return 'denied';
    }
    if (request.consumedAt || request.expiresAt.getTime() <= now.getTime()) {
      return 'expired';
    }
    return request.status;
  }

  private async deciderLive(manager: EntityManager, request: PushRequest): Promise<boolean> {
    if (!request.decidedBy) {
      return false;
    }
    return this.push.isApproverLive(manager, request.decidedBy, request.userId);
  }
}

type RequestOutcome =
  | { kind: 'opened'; request: PushRequest; approvers: PushApprover[] }
  | { kind: 'capped'; refusal: CapRefusal };

/** What the login screen names as the destination: the user's approver apps. */
function names(approvers: PushApprover[]): string {
  return approvers.map((a) => a.name).join(', ');
}
