import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AuthEnv, Clock } from '@app/config';
import { CallContext, DomainError, ErrorCode } from '@app/contracts';
import { ProjectedStatement } from '@app/database';
import { FlowsRepository } from './flows.repository';
import { LoginFlow, LoginFlowPurpose, LoginFlowStage } from './login-flow.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Login flows: the state between a right password and the second step (AUTH-5, AUTH-6). A flow that
 * is unknown, finished or past its time all answer `flow_expired`, so a flow id tells nothing more.
 */
@Injectable()
export class LoginFlowService {
  constructor(
    private readonly flows: FlowsRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AuthEnv,
  ) {}

  async open(
    manager: EntityManager,
    userId: string,
    purpose: LoginFlowPurpose,
    ctx: CallContext,
    options: { sessionId?: string; stage?: LoginFlowStage } = {},
  ): Promise<LoginFlow> {
    const flow = this.newFlow(userId, purpose, ctx, options);
    await this.flows.insert(manager, flow);
    return flow;
  }

  /**
   * As `open`, the insert handed back as a statement to send with the fact that reports it
   * (`OutboxWriter.record`'s `alongside`): the flow and its fact in one round trip.
   */
  draft(
    userId: string,
    purpose: LoginFlowPurpose,
    ctx: CallContext,
    options: { stage?: LoginFlowStage } = {},
  ): { flow: LoginFlow; insert: ProjectedStatement } {
    const flow = this.newFlow(userId, purpose, ctx, options);
    return {
      flow,
      insert: {
        sql: `INSERT INTO auth.login_flow (id, user_id, purpose, status, session_id, stage, second_factor_at,
                second_factor_method, trust_browser_name, ip, user_agent, created_at, expires_at, completed_at)
              VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL, NULL, $7, $8, $9, $10, NULL)`,
        params: [
          flow.id,
          flow.userId,
          flow.purpose,
          flow.status,
          flow.sessionId,
          flow.stage,
          flow.ip,
          flow.userAgent,
          flow.createdAt,
          flow.expiresAt,
        ],
      },
    };
  }

  private newFlow(
    userId: string,
    purpose: LoginFlowPurpose,
    ctx: CallContext,
    options: { sessionId?: string; stage?: LoginFlowStage },
  ): LoginFlow {
    const now = this.clock.now();
    return Object.assign(new LoginFlow(), {
      id: randomUUID(),
      userId,
      purpose,
      status: 'pending',
      sessionId: options.sessionId ?? null,
      stage: options.stage ?? 'second_factor',
      secondFactorAt: null,
      secondFactorMethod: null,
      trustBrowserName: null,
      ip: ctx.ip ?? null,
      userAgent: ctx.userAgent ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.LOGIN_FLOW_TTL_SECONDS * 1000),
      completedAt: null,
    });
  }

  /** The flow (login or step-up) if it can still be worked on, else `flow_expired`. */
  async live(flowId: string): Promise<LoginFlow> {
    return this.check(UUID.test(flowId) ? await this.flows.findById(flowId) : null);
  }

  /** As `live`, holding the flow's row lock until `manager`'s transaction ends: one change at a time per flow. */
  async lockLive(manager: EntityManager, flowId: string): Promise<LoginFlow> {
    return this.check(UUID.test(flowId) ? await this.flows.lockById(manager, flowId) : null);
  }

  /**
   * The second step is done but the flow goes on to the initial authentication password (AUTH-14):
   * what the second step earned is kept on the flow for the end.
   */
  async advanceToInitialPassword(
    manager: EntityManager,
    flow: LoginFlow,
    now: Date,
    method: string,
    trustBrowserName: string | null,
  ): Promise<void> {
    await this.flows.update(manager, flow.id, {
      stage: 'initial_password',
      secondFactorAt: now,
      secondFactorMethod: method,
      trustBrowserName,
    });
  }

  /**
   * `advanceToInitialPassword` as a statement to send with the outcome's facts, for a flow whose
   * row the caller holds.
   */
  advanceStatement(
    flow: LoginFlow,
    now: Date,
    method: string,
    trustBrowserName: string | null,
  ): ProjectedStatement {
    return this.flows.updateStatement(flow.id, {
      stage: 'initial_password',
      secondFactorAt: now,
      secondFactorMethod: method,
      trustBrowserName,
    });
  }

  /**
   * Completes the flow, as a statement to send with the outcome's facts. Only for a flow whose row
   * the caller holds and found pending (`lockLive`, `requireLive` on a locked read): it cannot have
   * ended since.
   */
  completeStatement(flow: LoginFlow, now: Date): ProjectedStatement {
    return this.flows.completeStatement(flow.id, now);
  }

  /** Whether `flowId` can name a flow at all (anything else is `flow_expired` without a query). */
  isFlowId(flowId: string): boolean {
    return UUID.test(flowId);
  }

  /** The flow if it can still be worked on (read by the caller, e.g. under lock), else `flow_expired`. */
  requireLive(flow: LoginFlow | null): LoginFlow {
    return this.check(flow);
  }

  private check(flow: LoginFlow | null): LoginFlow {
    if (!flow || flow.status !== 'pending' || flow.expiresAt.getTime() <= this.clock.now().getTime()) {
      throw new DomainError(ErrorCode.FlowExpired);
    }
    return flow;
  }
}
