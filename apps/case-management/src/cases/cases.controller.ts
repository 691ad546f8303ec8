import { Controller } from '@nestjs/common';
import {
  CaseDetailView,
  CaseListQueryDto,
  CaseListView,
  CaseNumberParam,
  CaseStatusRequest,
  CaseSummaryView,
  CommentRequest,
  CreateCaseDto,
  OpsCreateCaseDto,
  RejectSolutionRequest,
  RpcEnvelope,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { CasesService } from './cases.service';

/** Cases over NATS (CASE-2…CASE-8); the rules live in CasesService. */
@Controller()
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @RpcHandler('case-management.case.create')
  async create({ ctx, data }: RpcEnvelope<CreateCaseDto>): Promise<CaseSummaryView> {
    return this.cases.create(ctx.principal, data, ctx.language ?? 'en');
  }

  @RpcHandler('case-management.case.list')
  async list({ ctx, data }: RpcEnvelope<CaseListQueryDto>): Promise<CaseListView> {
    return this.cases.list(ctx.principal, data, ctx.language ?? 'en');
  }

  @RpcHandler('case-management.case.get')
  async get({ ctx, data }: RpcEnvelope<CaseNumberParam>): Promise<CaseDetailView> {
    return this.cases.get(ctx.principal, data.number, ctx.language ?? 'en');
  }

  @RpcHandler('case-management.case.comment')
  async comment({ ctx, data }: RpcEnvelope<CommentRequest>): Promise<CaseDetailView> {
    return this.cases.comment(ctx.principal, data.number, data.body, ctx.language ?? 'en');
  }

  @RpcHandler('case-management.case.close')
  async close({ ctx, data }: RpcEnvelope<CaseNumberParam>): Promise<CaseSummaryView> {
    return this.cases.decide(ctx.principal, data.number, 'close', ctx.language ?? 'en');
  }

  @RpcHandler('case-management.case.approve')
  async approve({ ctx, data }: RpcEnvelope<CaseNumberParam>): Promise<CaseSummaryView> {
    return this.cases.decide(ctx.principal, data.number, 'approve', ctx.language ?? 'en');
  }

  @RpcHandler('case-management.case.reject')
  async reject({ ctx, data }: RpcEnvelope<RejectSolutionRequest>): Promise<CaseSummaryView> {
    return this.cases.decide(ctx.principal, data.number, 'reject', ctx.language ?? 'en', data.reason);
  }

  @RpcHandler('case-management.ops.case.create')
  async createByOperator({ ctx, data }: RpcEnvelope<OpsCreateCaseDto>): Promise<CaseSummaryView> {
    return this.cases.createByOperator(ctx.principal, data, ctx.language ?? 'en');
  }

  @RpcHandler('case-management.ops.case.list')
  async listByOperator({ ctx, data }: RpcEnvelope<CaseListQueryDto>): Promise<CaseListView> {
    return this.cases.listByOperator(ctx.principal, data, ctx.language ?? 'en');
  }

  @RpcHandler('case-management.ops.case.get')
  async getByOperator({ ctx, data }: RpcEnvelope<CaseNumberParam>): Promise<CaseDetailView> {
    return this.cases.getByOperator(ctx.principal, data.number, ctx.language ?? 'en');
  }

  @RpcHandler('case-management.ops.case.status')
  async setStatus({ ctx, data }: RpcEnvelope<CaseStatusRequest>): Promise<CaseSummaryView> {
    return this.cases.setStatusByOperator(
      ctx.principal,
      data.number,
      data.status,
      ctx.language ?? 'en',
      data.comment,
    );
  }

  @RpcHandler('case-management.ops.case.comment')
  async commentByOperator({ ctx, data }: RpcEnvelope<CommentRequest>): Promise<CaseDetailView> {
    return this.cases.commentByOperator(ctx.principal, data.number, data.body, ctx.language ?? 'en');
  }
}
