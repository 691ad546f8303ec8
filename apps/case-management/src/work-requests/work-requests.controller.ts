import { Controller } from '@nestjs/common';
import {
  AttachmentDownload,
  AttachmentTicket,
  AttachmentView,
  IdParam,
  OpsWorkRequestItemView,
  OpsWorkRequestQueryDto,
  OpsWorkRequestView,
  RejectWorkRequestRequest,
  RpcEnvelope,
  SubmitWorkRequestDto,
  UpdateWorkRequestItemRequest,
  WorkRequestAcceptedView,
  WorkRequestAttachmentCommitRequest,
  WorkRequestAttachmentOpenRequest,
  WorkRequestItemDto,
  WorkRequestItemView,
  WorkRequestView,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { WorkRequestsService } from './work-requests.service';

/** Work requests over NATS (CASE-7); the rules live in WorkRequestsService. */
@Controller()
export class WorkRequestsController {
  constructor(private readonly workRequests: WorkRequestsService) {}

  @RpcHandler('case-management.work_request_item.list')
  async items({ ctx }: RpcEnvelope<Record<string, never>>): Promise<WorkRequestItemView[]> {
    return this.workRequests.items(ctx.principal, ctx.language ?? 'en');
  }

  @RpcHandler('case-management.work_request.submit')
  async submit({ ctx, data }: RpcEnvelope<SubmitWorkRequestDto>): Promise<WorkRequestView> {
    return this.workRequests.submit(ctx.principal, data, ctx.language ?? 'en');
  }

  @RpcHandler('case-management.work_request.list')
  async list({ ctx }: RpcEnvelope<Record<string, never>>): Promise<WorkRequestView[]> {
    return this.workRequests.list(ctx.principal, ctx.language ?? 'en');
  }

  @RpcHandler('case-management.work_request.attachment.begin')
  async beginAttachment({ ctx, data }: RpcEnvelope<IdParam>): Promise<AttachmentTicket> {
    return this.workRequests.beginAttachment(ctx.principal, data.id);
  }

  @RpcHandler('case-management.work_request.attachment.commit')
  async commitAttachment({
    ctx,
    data,
  }: RpcEnvelope<WorkRequestAttachmentCommitRequest>): Promise<AttachmentView> {
    return this.workRequests.commitAttachment(ctx.principal, data);
  }

  @RpcHandler('case-management.work_request.attachment.open')
  async openAttachment({
    ctx,
    data,
  }: RpcEnvelope<WorkRequestAttachmentOpenRequest>): Promise<AttachmentDownload> {
    return this.workRequests.openAttachment(ctx.principal, data.requestId, data.id);
  }

  @RpcHandler('case-management.ops.work_request_item.list')
  async opsItems({ ctx }: RpcEnvelope<Record<string, never>>): Promise<OpsWorkRequestItemView[]> {
    return this.workRequests.opsItems(ctx.principal);
  }

  @RpcHandler('case-management.ops.work_request_item.create')
  async createItem({ ctx, data }: RpcEnvelope<WorkRequestItemDto>): Promise<OpsWorkRequestItemView> {
    return this.workRequests.createItem(ctx.principal, data);
  }

  @RpcHandler('case-management.ops.work_request_item.update')
  async updateItem({
    ctx,
    data,
  }: RpcEnvelope<UpdateWorkRequestItemRequest>): Promise<OpsWorkRequestItemView> {
    const { id, ...dto } = data;
    return this.workRequests.updateItem(ctx.principal, id, dto);
  }

  @RpcHandler('case-management.ops.work_request.list')
  async opsList({ ctx, data }: RpcEnvelope<OpsWorkRequestQueryDto>): Promise<OpsWorkRequestView[]> {
    return this.workRequests.opsList(ctx.principal, data.status, ctx.language ?? 'en');
  }

  @RpcHandler('case-management.ops.work_request.accept')
  async accept({ ctx, data }: RpcEnvelope<IdParam>): Promise<WorkRequestAcceptedView> {
    return this.workRequests.accept(ctx.principal, data.id);
  }

  @RpcHandler('case-management.ops.work_request.reject')
  async reject({ ctx, data }: RpcEnvelope<RejectWorkRequestRequest>): Promise<OpsWorkRequestView> {
    return this.workRequests.reject(ctx.principal, data.id, data.reason, ctx.language ?? 'en');
  }
}
