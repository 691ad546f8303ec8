import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  CreateKnowledgeBaseDto,
  CreateKnowledgeCategoryDto,
  ErrorCode,
  KbNumberParam,
  KnowledgeArticleDto,
  KnowledgeArticleView,
  KnowledgeBaseView,
  KnowledgeCategoryView,
  KnowledgeSearchQueryDto,
  KnowledgeSearchView,
} from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { Roles } from '../security/roles.decorator';
import { ARTICLE_FIELDS, KNOWLEDGE_BASE_FIELDS, SEARCH_FIELDS } from './knowledge.controller';

const OPERATOR_ERRORS = [ErrorCode.Unauthorized, ErrorCode.SessionEnded, ErrorCode.Forbidden];
const NUMBER_PARAM = { name: 'number', description: 'Article number, e.g. KB0000001' };

/** Operators write the knowledge base (CASE-10) and read all of it. */
@ApiTags('operators')
@ApiBearerAuth()
@Roles('operator')
@Controller('ops/knowledge')
export class OpsKnowledgeController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('bases')
  @ApiOperation({ summary: 'Every knowledge base with its categories and article counts' })
  @ApiResponse({ status: 200, description: `[${KNOWLEDGE_BASE_FIELDS}]` })
  @ApiErrors(...OPERATOR_ERRORS)
  bases(): Promise<KnowledgeBaseView[]> {
    return this.rpc.send('case-management.ops.knowledge.bases', {});
  }

  @Post('bases')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Add a knowledge base (CASE-10)',
    description: 'With `service`, only tenants contracting that service see it; without, every tenant does.',
  })
  @ApiResponse({ status: 201, description: KNOWLEDGE_BASE_FIELDS })
  @ApiErrors(...OPERATOR_ERRORS)
  createBase(@Body() dto: CreateKnowledgeBaseDto): Promise<KnowledgeBaseView> {
    return this.rpc.send('case-management.ops.knowledge.base.create', dto);
  }

  @Post('categories')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Add a category to a base (CASE-10)',
    description: 'The code is unique in its base (`409 conflict`); its leading number orders the categories.',
  })
  @ApiResponse({ status: 201, description: '`{id, code, name, names:{ja,en}, articleCount}`' })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.Conflict)
  createCategory(@Body() dto: CreateKnowledgeCategoryDto): Promise<KnowledgeCategoryView> {
    return this.rpc.send('case-management.ops.knowledge.category.create', dto);
  }

  @Get('articles')
  @ApiOperation({ summary: 'Search every article, as `GET /knowledge` searches (CASE-10)' })
  @ApiResponse({ status: 200, description: SEARCH_FIELDS })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.QueryTooShort)
  search(@Query() query: KnowledgeSearchQueryDto): Promise<KnowledgeSearchView> {
    return this.rpc.send('case-management.ops.knowledge.search', query);
  }

  @Post('articles')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Write an article (CASE-10)',
    description:
      'Numbered `KB` + 7 digits; `body` is sanitised HTML; the category must be of the base. With `format: "document"` the article is a file: no `body`, an optional `description`, and the file uploaded with `PUT /ops/knowledge/articles/{number}/document` (customers see it from then on).',
  })
  @ApiResponse({ status: 201, description: ARTICLE_FIELDS })
  @ApiErrors(...OPERATOR_ERRORS)
  createArticle(@Body() dto: KnowledgeArticleDto): Promise<KnowledgeArticleView> {
    return this.rpc.send('case-management.ops.knowledge.article.create', dto);
  }

  @Get('articles/:number')
  @ApiParam(NUMBER_PARAM)
  @ApiOperation({ summary: 'Read an article without counting a view' })
  @ApiResponse({ status: 200, description: ARTICLE_FIELDS })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.NotFound)
  get(@Param() { number }: KbNumberParam): Promise<KnowledgeArticleView> {
    return this.rpc.send('case-management.ops.knowledge.get', { number });
  }

  @Put('articles/:number')
  @ApiParam(NUMBER_PARAM)
  @ApiOperation({ summary: 'Rewrite an article: base, category, title, body, language (CASE-10)' })
  @ApiResponse({ status: 200, description: ARTICLE_FIELDS })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.NotFound)
  updateArticle(
    @Param() { number }: KbNumberParam,
    @Body() dto: KnowledgeArticleDto,
  ): Promise<KnowledgeArticleView> {
    return this.rpc.send('case-management.ops.knowledge.article.update', { ...dto, number });
  }

  @Delete('articles/:number')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiParam(NUMBER_PARAM)
  @ApiOperation({ summary: 'Delete an article (CASE-10)' })
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.NotFound)
  async deleteArticle(@Param() { number }: KbNumberParam): Promise<void> {
    await this.rpc.send('case-management.ops.knowledge.article.delete', { number });
  }
}
