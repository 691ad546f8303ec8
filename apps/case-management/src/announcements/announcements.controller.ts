import { Controller } from '@nestjs/common';
import {
  AnnouncementDto,
  AnnouncementView,
  IdParam,
  OpsAnnouncementView,
  RpcEnvelope,
  UpdateAnnouncementRequest,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { AnnouncementsService } from './announcements.service';

type Empty = Record<string, never>;

/** Announcements over NATS (CASE-11); the rules live in AnnouncementsService. */
@Controller()
export class AnnouncementsController {
  constructor(private readonly announcements: AnnouncementsService) {}

  @RpcHandler('case-management.announcement.list')
  async list({ ctx }: RpcEnvelope<Empty>): Promise<AnnouncementView[]> {
    return this.announcements.list(ctx.principal);
  }

  @RpcHandler('case-management.announcement.dismiss')
  async dismiss({ ctx, data }: RpcEnvelope<IdParam>): Promise<Empty> {
    await this.announcements.dismiss(ctx.principal, data.id);
    return {};
  }

  @RpcHandler('case-management.ops.announcement.list')
  async listByOperator({ ctx }: RpcEnvelope<Empty>): Promise<OpsAnnouncementView[]> {
    return this.announcements.listByOperator(ctx.principal);
  }

  @RpcHandler('case-management.ops.announcement.create')
  async create({ ctx, data }: RpcEnvelope<AnnouncementDto>): Promise<OpsAnnouncementView> {
    return this.announcements.create(ctx.principal, data);
  }

  @RpcHandler('case-management.ops.announcement.update')
  async update({ ctx, data }: RpcEnvelope<UpdateAnnouncementRequest>): Promise<OpsAnnouncementView> {
    const { id, ...dto } = data;
    return this.announcements.update(ctx.principal, id, dto);
  }

  @RpcHandler('case-management.ops.announcement.delete')
  async delete({ ctx, data }: RpcEnvelope<IdParam>): Promise<Empty> {
    await this.announcements.delete(ctx.principal, data.id);
    return {};
  }
}
