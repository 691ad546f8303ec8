import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  ErrorCode,
  KbNumberParam,
  KnowledgeArticleView,
  KnowledgeBaseView,
  KnowledgeSearchQueryDto,
  KnowledgeSearchView,
} from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { RequireTenant } from '../security/require-tenant.decorator';
import { Roles } from '../security/roles.decorator';

const CUSTOMER_ERRORS = [
  ErrorCode.Unauthorized,
  ErrorCode.SessionEnded,
  ErrorCode.Forbidden,
  ErrorCode.TenantSelectionRequired,
];

export const KNOWLEDGE_BASE_FIELDS =
  '`{id, name, names:{ja,en}, service|null, articleCount, categories:[{id, code, name, names:{ja,en}, articleCount}]}` (categories in the order of their number prefix)';
export const ARTICLE_FIELDS =
  '`{number, title, language, format:"html"|"document", description?, base:{id,name}, category:{id,code,name}, author:{id,name}, views, createdAt, updatedAt, body, attachments:[{id, name, size, contentType, sha256, uploadedAt}], document:{…}|null}` (a file is downloaded at `GET /knowledge/{number}/attachments/{id}`)';
export const SEARCH_FIELDS =
  '`{items:[{number, title, language, format, description?, base, category, snippet, author, views, createdAt, updatedAt}], total, page, pageSize}`, newest first';

/** The knowledge base as the active tenant sees it: general bases and those of its services (CASE-10). */
@ApiTags('knowledge')
@ApiBearerAuth()
@RequireTenant()
@Roles('admin', 'user')
@Controller('knowledge')
export class KnowledgeController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiOperation({
    summary: 'Search or list articles (CASE-10)',
    description:
      'Keyword `q` over titles and bodies (Japanese matched as typed, full-width/half-width folded), filters by base, category and language; newest first, with snippets and a total.',
  })
  @ApiResponse({ status: 200, description: SEARCH_FIELDS })
  @ApiErrors(...CUSTOMER_ERRORS, ErrorCode.QueryTooShort)
  search(@Query() query: KnowledgeSearchQueryDto): Promise<KnowledgeSearchView> {
    return this.rpc.send('case-management.knowledge.search', query);
  }

  @Get('bases')
  @ApiOperation({ summary: 'The knowledge bases the tenant sees, with article counts (CASE-10)' })
  @ApiResponse({ status: 200, description: `[${KNOWLEDGE_BASE_FIELDS}]` })
  @ApiErrors(...CUSTOMER_ERRORS)
  bases(): Promise<KnowledgeBaseView[]> {
    return this.rpc.send('case-management.knowledge.bases', {});
  }

  @Get(':number')
  @ApiParam({ name: 'number', description: "Article number, e.g. KB0000001; another base's article is 404" })
  @ApiOperation({
    summary: 'Read an article (CASE-10)',
    description: 'Counts a view: one per user per day (the calendar day in Japan).',
  })
  @ApiResponse({ status: 200, description: ARTICLE_FIELDS })
  @ApiErrors(...CUSTOMER_ERRORS, ErrorCode.NotFound)
  get(@Param() { number }: KbNumberParam): Promise<KnowledgeArticleView> {
    return this.rpc.send('case-management.knowledge.get', { number });
  }
}
