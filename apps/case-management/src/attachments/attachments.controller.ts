import { Controller } from '@nestjs/common';
import {
  AttachmentBeginRequest,
  AttachmentCommitRequest,
  AttachmentDownload,
  AttachmentOpenRequest,
  AttachmentTicket,
  AttachmentView,
  RpcEnvelope,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { AttachmentsService } from './attachments.service';

/** Attachments over NATS (CASE-6): authorisation and records only; the bytes go gateway → store. */
@Controller()
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @RpcHandler('case-management.attachment.begin')
  async begin({ ctx, data }: RpcEnvelope<AttachmentBeginRequest>): Promise<AttachmentTicket> {
    return this.attachments.begin(ctx.principal, data.number);
  }

  @RpcHandler('case-management.attachment.commit')
  async commit({ ctx, data }: RpcEnvelope<AttachmentCommitRequest>): Promise<AttachmentView> {
    return this.attachments.commit(ctx.principal, data);
  }

  @RpcHandler('case-management.attachment.open')
  async open({ ctx, data }: RpcEnvelope<AttachmentOpenRequest>): Promise<AttachmentDownload> {
    return this.attachments.open(ctx.principal, data.number, data.id);
  }
}
