import { Controller } from '@nestjs/common';
import {
  ApprovalOutcomeView,
  ApprovalRequestView,
  ApproverDecisionRequest,
  ApproverIdParam,
  ApproverRegisteredView,
  ApproverTokenRequest,
  ApproverView,
  LoginApprovalStatusView,
  RegisterApproverDto,
  RpcEnvelope,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { ApprovalRequestsService } from './approval-requests.service';
import { ApproversService } from './approvers.service';
import { PushSecondStepService } from './push-second-step.service';

/** NATS handlers of app approval (AUTH-13): the user's approvers, the approver app, the waiting login. */
@Controller()
export class PushController {
  constructor(
    private readonly approvers: ApproversService,
    private readonly requests: ApprovalRequestsService,
    private readonly push: PushSecondStepService,
  ) {}

  @RpcHandler('auth.me.approver.register')
  async register({ ctx, data }: RpcEnvelope<RegisterApproverDto>): Promise<ApproverRegisteredView> {
    return this.approvers.register(ctx.principal, data.name);
  }

  @RpcHandler('auth.me.approver.list')
  async list({ ctx }: RpcEnvelope<Record<string, never>>): Promise<ApproverView[]> {
    return this.approvers.list(ctx.principal);
  }

  @RpcHandler('auth.me.approver.remove')
  async remove({ ctx, data }: RpcEnvelope<ApproverIdParam>): Promise<Record<string, never>> {
    await this.approvers.remove(ctx.principal, data.id);
    return {};
  }

  @RpcHandler('auth.approver.requests.list')
  async pending({ data }: RpcEnvelope<ApproverTokenRequest>): Promise<ApprovalRequestView[]> {
    return this.requests.pending(data.approverToken);
  }

  @RpcHandler('auth.approver.requests.decide')
  async decide({ data }: RpcEnvelope<ApproverDecisionRequest>): Promise<ApprovalOutcomeView> {
    return this.requests.decide(data.approverToken, data.id, data.decision, data.matchNumber);
  }

  @RpcHandler('auth.login.status')
  async status({ data }: RpcEnvelope<{ flowId: string }>): Promise<LoginApprovalStatusView> {
    return this.push.status(String(data.flowId));
  }
}
