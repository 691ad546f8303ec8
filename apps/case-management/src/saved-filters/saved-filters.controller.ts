import { Controller } from '@nestjs/common';
import {
  CaseFilterView,
  IdParam,
  RpcEnvelope,
  SaveCaseFilterDto,
  UpdateCaseFilterRequest,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { SavedFiltersService } from './saved-filters.service';

/** Saved case filters over NATS (CASE-8). */
@Controller()
export class SavedFiltersController {
  constructor(private readonly filters: SavedFiltersService) {}

  @RpcHandler('case-management.case_filter.list')
  async list({ ctx }: RpcEnvelope<Record<string, never>>): Promise<CaseFilterView[]> {
    return this.filters.list(ctx.principal);
  }

  @RpcHandler('case-management.case_filter.save')
  async save({
    ctx,
    data,
  }: RpcEnvelope<SaveCaseFilterDto>): Promise<{ filter: CaseFilterView; created: boolean }> {
    return this.filters.save(ctx.principal, data);
  }

  @RpcHandler('case-management.case_filter.update')
  async update({ ctx, data }: RpcEnvelope<UpdateCaseFilterRequest>): Promise<CaseFilterView> {
    const { id, ...dto } = data;
    return this.filters.update(ctx.principal, id, dto);
  }

  @RpcHandler('case-management.case_filter.delete')
  async delete({ ctx, data }: RpcEnvelope<IdParam>): Promise<Record<string, never>> {
    await this.filters.delete(ctx.principal, data.id);
    return {};
  }
}
