import { Controller } from '@nestjs/common';
import {
  AttachmentDownload,
  AttachmentTicket,
  CreateKnowledgeBaseDto,
  KbAttachmentParam,
  KbUploadBeginRequest,
  KbUploadCommitRequest,
  KnowledgeFileView,
  CreateKnowledgeCategoryDto,
  KbNumberParam,
  KnowledgeArticleDto,
  KnowledgeArticleView,
  KnowledgeBaseView,
  KnowledgeCategoryView,
  KnowledgeSearchQueryDto,
  KnowledgeSearchView,
  RpcEnvelope,
  UpdateKnowledgeArticleRequest,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { KnowledgeFilesService } from './knowledge-files.service';
import { KnowledgeService } from './knowledge.service';

type Empty = Record<string, never>;

/** The knowledge base over NATS (CASE-10); the rules live in KnowledgeService. */
@Controller()
export class KnowledgeController {
  constructor(
    private readonly knowledge: KnowledgeService,
    private readonly files: KnowledgeFilesService,
  ) {}

  @RpcHandler('case-management.knowledge.bases')
  async bases({ ctx }: RpcEnvelope<Empty>): Promise<KnowledgeBaseView[]> {
    return this.knowledge.bases(ctx.principal, ctx.language ?? 'en');
  }

  @RpcHandler('case-management.knowledge.search')
  async search({ ctx, data }: RpcEnvelope<KnowledgeSearchQueryDto>): Promise<KnowledgeSearchView> {
    return this.knowledge.search(ctx.principal, data, ctx.language ?? 'en');
  }

  @RpcHandler('case-management.knowledge.get')
  async get({ ctx, data }: RpcEnvelope<KbNumberParam>): Promise<KnowledgeArticleView> {
    return this.knowledge.get(ctx.principal, data.number, ctx.language ?? 'en');
  }

  @RpcHandler('case-management.ops.knowledge.bases')
  async basesByOperator({ ctx }: RpcEnvelope<Empty>): Promise<KnowledgeBaseView[]> {
    return this.knowledge.basesByOperator(ctx.principal, ctx.language ?? 'en');
  }

  @RpcHandler('case-management.ops.knowledge.base.create')
  async createBase({ ctx, data }: RpcEnvelope<CreateKnowledgeBaseDto>): Promise<KnowledgeBaseView> {
    return this.knowledge.createBase(ctx.principal, data, ctx.language ?? 'en');
  }

  @RpcHandler('case-management.ops.knowledge.category.create')
  async createCategory({
    ctx,
    data,
  }: RpcEnvelope<CreateKnowledgeCategoryDto>): Promise<KnowledgeCategoryView> {
    return this.knowledge.createCategory(ctx.principal, data, ctx.language ?? 'en');
  }

  @RpcHandler('case-management.ops.knowledge.search')
  async searchByOperator({ ctx, data }: RpcEnvelope<KnowledgeSearchQueryDto>): Promise<KnowledgeSearchView> {
    return this.knowledge.searchByOperator(ctx.principal, data, ctx.language ?? 'en');
  }

  @RpcHandler('case-management.ops.knowledge.get')
  async getByOperator({ ctx, data }: RpcEnvelope<KbNumberParam>): Promise<KnowledgeArticleView> {
    return this.knowledge.getByOperator(ctx.principal, data.number, ctx.language ?? 'en');
  }

  @RpcHandler('case-management.ops.knowledge.article.create')
  async createArticle({ ctx, data }: RpcEnvelope<KnowledgeArticleDto>): Promise<KnowledgeArticleView> {
    return this.knowledge.createArticle(ctx.principal, data, ctx.language ?? 'en');
  }

  @RpcHandler('case-management.ops.knowledge.article.update')
  async updateArticle({
    ctx,
    data,
  }: RpcEnvelope<UpdateKnowledgeArticleRequest>): Promise<KnowledgeArticleView> {
    const { number, ...dto } = data;
    return this.knowledge.updateArticle(ctx.principal, number, dto, ctx.language ?? 'en');
  }

  @RpcHandler('case-management.ops.knowledge.article.delete')
  async deleteArticle({ ctx, data }: RpcEnvelope<KbNumberParam>): Promise<Empty> {
    await this.knowledge.deleteArticle(ctx.principal, data.number);
    return {};
  }

  @RpcHandler('case-management.ops.knowledge.file.begin')
  async beginFile({ ctx, data }: RpcEnvelope<KbUploadBeginRequest>): Promise<AttachmentTicket> {
    return this.files.begin(ctx.principal, data.number, data.role);
  }

  @RpcHandler('case-management.ops.knowledge.file.commit')
  async commitFile({ ctx, data }: RpcEnvelope<KbUploadCommitRequest>): Promise<KnowledgeFileView> {
    return this.files.commit(ctx.principal, data);
  }

  @RpcHandler('case-management.knowledge.file.open')
  async openFile({ ctx, data }: RpcEnvelope<KbAttachmentParam>): Promise<AttachmentDownload> {
    return this.files.open(ctx.principal, 'customer', data.number, data.id);
  }

  @RpcHandler('case-management.ops.knowledge.file.open')
  async openFileByOperator({ ctx, data }: RpcEnvelope<KbAttachmentParam>): Promise<AttachmentDownload> {
    return this.files.open(ctx.principal, 'operator', data.number, data.id);
  }
}
