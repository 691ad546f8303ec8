import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, CaseManagementEnv, Clock } from '@app/config';
import {
  CreateKnowledgeBaseDto,
  CreateKnowledgeCategoryDto,
  DomainError,
  ErrorCode,
  KnowledgeArticleDto,
  KnowledgeArticleFormat,
  KnowledgeArticleSummaryView,
  KnowledgeArticleView,
  KnowledgeBaseView,
  KnowledgeCategoryView,
  KnowledgeSearchQueryDto,
  KnowledgeSearchView,
  Language,
  Principal,
} from '@app/contracts';
import { NewAuditEvent, OutboxWriter } from '@app/database';
import { CaseScope, customerOf, OperatorCaller, operatorOf } from '../caller/case-caller';
import { IdSource } from '../common/id-source';
import { isUniqueViolation } from '../common/unique-violation.util';
import { ContractsRepository } from '../contracts/contracts.repository';
import { snippetOf } from '../text/gram-search';
import { plainText, richTextField } from '../text/rich-text.sanitizer';
import { bigrams, foldText } from '../text/search-text.util';
import { KnowledgeFilesRepository } from './knowledge-files.repository';
import { KnowledgeFilesService } from './knowledge-files.service';
import { articleSearchSql, categoryPosition } from './knowledge-search';
import {
  Article,
  CATEGORY_CODE_CONSTRAINT,
  CountedCategory,
  KnowledgeBase,
  KnowledgeCategory,
  KnowledgeRepository,
  NewArticle,
} from './knowledge.repository';

/**
 * Views are counted per calendar day in Japan, where the provider and its customers work: a
 * reader's morning and evening fall on one day, as they would not with a UTC day.
 */
const VIEW_DAY_OFFSET_MS = 9 * 60 * 60 * 1000;

/**
 * The knowledge base (CASE-10). Customers read the bases of the services their tenant contracts and
 * the general ones; operators write. Every write is one transaction with its audit fact.
 *
 * Articles take files (KnowledgeFilesService): attachments, and the file a `document` article is. A
 * document article reaches customers once its file is there; it is listed and searched by its title
 * and description.
 */
@Injectable()
export class KnowledgeService {
  private readonly provider: string;

  constructor(
    private readonly knowledge: KnowledgeRepository,
    private readonly contracts: ContractsRepository,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly files: KnowledgeFilesService,
    private readonly fileRecords: KnowledgeFilesRepository,
    @Inject(APP_CONFIG) config: CaseManagementEnv,
  ) {
    this.provider = config.CASE_PROVIDER_NAME;
  }

  async bases(principal: Principal | undefined, language: Language): Promise<KnowledgeBaseView[]> {
    return this.basesIn(customerOf(principal).scope, language);
  }

  async basesByOperator(principal: Principal | undefined, language: Language): Promise<KnowledgeBaseView[]> {
    return this.basesIn(operatorOf(principal).scope, language);
  }

  async search(
    principal: Principal | undefined,
    query: KnowledgeSearchQueryDto,
    language: Language,
  ): Promise<KnowledgeSearchView> {
    return this.searchIn(customerOf(principal).scope, query, language);
  }

  async searchByOperator(
    principal: Principal | undefined,
    query: KnowledgeSearchQueryDto,
    language: Language,
  ): Promise<KnowledgeSearchView> {
    return this.searchIn(operatorOf(principal).scope, query, language);
  }

  /** A customer reads an article: their first read of the day adds one view. */
  async get(
    principal: Principal | undefined,
    number: string,
    language: Language,
  ): Promise<KnowledgeArticleView> {
    const customer = customerOf(principal);
    const article = await this.found(customer.scope, number);
    const counted = await this.knowledge.countView(article.id, customer.userId, this.viewDay());
    return this.articleView({ ...article, views: counted ?? article.views }, language);
  }

  /** Operators read without counting: views tell what customers read. */
  async getByOperator(
    principal: Principal | undefined,
    number: string,
    language: Language,
  ): Promise<KnowledgeArticleView> {
    const operator = operatorOf(principal);
    return this.articleView(await this.found(operator.scope, number), language);
  }

  async createBase(
    principal: Principal | undefined,
    dto: CreateKnowledgeBaseDto,
    language: Language,
  ): Promise<KnowledgeBaseView> {
    const operator = operatorOf(principal);
    if (dto.service !== undefined && !(await this.contracts.findService(dto.service))) {
      throw invalid('service', 'service does not exist');
    }
    const base: KnowledgeBase = {
      id: this.ids.uuid(),
      name: { ja: dto.name.ja.trim(), en: dto.name.en.trim() },
      serviceCode: dto.service ?? null,
      createdAt: this.clock.now(),
    };
    await this.knowledge.transaction(async (manager) => {
      await this.knowledge.insertBase(manager, base);
      await this.outbox.record(
        manager,
        this.fact(operator.userId, 'knowledge_base.created', 'knowledge_base', base.id),
      );
    });
    return baseView({ ...base, articleCount: 0 }, [], language);
  }

  async createCategory(
    principal: Principal | undefined,
    dto: CreateKnowledgeCategoryDto,
    language: Language,
  ): Promise<KnowledgeCategoryView> {
    const operator = operatorOf(principal);
    if (!(await this.knowledge.base(operator.scope, dto.base))) {
      throw invalid('base', 'knowledge base does not exist');
    }
    const category: KnowledgeCategory = {
      id: this.ids.uuid(),
      baseId: dto.base,
      code: dto.code,
      position: categoryPosition(dto.code),
      name: { ja: dto.name.ja.trim(), en: dto.name.en.trim() },
      createdAt: this.clock.now(),
    };
    try {
      await this.knowledge.transaction(async (manager) => {
        await this.knowledge.insertCategory(manager, category);
        await this.outbox.record(
          manager,
          this.fact(operator.userId, 'knowledge_category.created', 'knowledge_category', category.id),
        );
      });
    } catch (error) {
      if (isUniqueViolation(error, CATEGORY_CODE_CONSTRAINT)) {
        throw new DomainError(ErrorCode.Conflict, { code: dto.code });
      }
      throw error;
    }
    return categoryView({ ...category, articleCount: 0 }, language);
  }

  async createArticle(
    principal: Principal | undefined,
    dto: KnowledgeArticleDto,
    language: Language,
  ): Promise<KnowledgeArticleView> {
    const operator = operatorOf(principal);
    const now = this.clock.now();
    const content = await this.content(operator, dto, dto.format ?? 'html', now);
    const number = await this.knowledge.transaction(async (manager) => {
      const created = await this.knowledge.insertArticle(manager, {
        ...content,
        id: this.ids.uuid(),
        authorId: operator.userId,
        authorName: this.provider,
        createdAt: now,
      });
      await this.outbox.record(
        manager,
        this.fact(operator.userId, 'knowledge_article.created', 'knowledge_article', created),
      );
      return created;
    });
    return this.articleView(await this.found(operator.scope, number), language);
  }

  async updateArticle(
    principal: Principal | undefined,
    number: string,
    dto: KnowledgeArticleDto,
    language: Language,
  ): Promise<KnowledgeArticleView> {
    const operator = operatorOf(principal);
    const current = await this.found(operator.scope, number);
    // The format is fixed at creation: a document article stays a file, an html article a text.
    if (dto.format !== undefined && dto.format !== current.format) {
      throw invalid('format', `format stays ${current.format}`);
    }
    const content = await this.content(operator, dto, current.format, this.clock.now());
    await this.knowledge.transaction(async (manager) => {
      const id = await this.knowledge.lockArticle(manager, operator.scope, number);
      if (!id) {
        throw new DomainError(ErrorCode.NotFound);
      }
      await this.knowledge.updateArticle(manager, id, content);
      await this.outbox.record(
        manager,
        this.fact(operator.userId, 'knowledge_article.updated', 'knowledge_article', number),
      );
    });
    return this.articleView(await this.found(operator.scope, number), language);
  }

  /** Deletes the article with its file records; their bytes go once the deletion has committed. */
  async deleteArticle(principal: Principal | undefined, number: string): Promise<void> {
    const operator = operatorOf(principal);
    const keys = await this.knowledge.transaction(async (manager) => {
      const id = await this.knowledge.lockArticle(manager, operator.scope, number);
      if (!id) {
        throw new DomainError(ErrorCode.NotFound);
      }
      const fileKeys = await this.fileRecords.keysOf(manager, id);
      await this.knowledge.deleteArticle(manager, id);
      await this.outbox.record(
        manager,
        this.fact(operator.userId, 'knowledge_article.deleted', 'knowledge_article', number),
      );
      return fileKeys;
    });
    await this.files.forgetBytes(keys);
  }

  // ---- shared steps ---------------------------------------------------------------------------------

  /**
   * What an operator writes, checked and prepared: the category must be of the base; an html article
   * has a body, a document article has none (its file is its body) and may have a description, which
   * is what lists show and searches find besides its title.
   */
  private async content(
    operator: OperatorCaller,
    dto: KnowledgeArticleDto,
    format: KnowledgeArticleFormat,
    now: Date,
  ): Promise<Omit<NewArticle, 'id' | 'authorId' | 'authorName' | 'createdAt'>> {
    if (!(await this.knowledge.base(operator.scope, dto.base))) {
      throw invalid('base', 'knowledge base does not exist');
    }
    if (!(await this.knowledge.categoryOf(operator.scope, dto.base, dto.category))) {
      throw invalid('category', 'category does not exist in this knowledge base');
    }
    const title = dto.title.trim();
    if (title === '') {
      throw invalid('title', 'title must contain text');
    }
    let body = '';
    let bodyText: string;
    let description: string | null = null;
    if (format === 'document') {
      if (dto.body !== undefined) {
        throw invalid('body', 'a document article has no body: its file is its body');
      }
      description = dto.description?.trim() || null;
      bodyText = description ?? '';
    } else {
      if (dto.body === undefined) {
        throw invalid('body', 'body is required');
      }
      if (dto.description !== undefined) {
        throw invalid('description', 'only a document article has a description');
      }
      body = richTextField(dto.body, 'body');
      bodyText = plainText(body);
    }
    const searchText = foldText(`${title}\n${bodyText}`);
    return {
      baseId: dto.base,
      categoryId: dto.category,
      title,
      format,
      description,
      body,
      bodyText,
      language: dto.language,
      searchText,
      searchGrams: bigrams(searchText),
      updatedAt: now,
    };
  }

  private async found(scope: CaseScope, number: string): Promise<Article> {
    const article = await this.knowledge.article(scope, number);
    if (!article) {
      throw new DomainError(ErrorCode.NotFound);
    }
    return article;
  }

  private async basesIn(scope: CaseScope, language: Language): Promise<KnowledgeBaseView[]> {
    const bases = await this.knowledge.basesInScope(scope);
    const categories = await this.knowledge.categoriesOf(
      scope,
      bases.map((b) => b.id),
    );
    return bases.map((b) =>
      baseView(
        b,
        categories.filter((c) => c.baseId === b.id),
        language,
      ),
    );
  }

  private async searchIn(
    scope: CaseScope,
    query: KnowledgeSearchQueryDto,
    language: Language,
  ): Promise<KnowledgeSearchView> {
    const { sql, words } = articleSearchSql(query);
    const found = await this.knowledge.search(scope, sql);
    return {
      items: found.rows.map((a) => this.summaryView(a, snippetOf(a.bodyText, words), language)),
      total: found.total,
      page: query.page ?? 1,
      pageSize: sql.limit,
    };
  }

  private summaryView(a: Article, snippet: string, language: Language): KnowledgeArticleSummaryView {
    return {
      number: a.number,
      title: a.title,
      language: a.language,
      format: a.format,
      ...(a.description !== null ? { description: a.description } : {}),
      base: { id: a.base.id, name: a.base.name[language] },
      category: { id: a.category.id, code: a.category.code, name: a.category.name[language] },
      snippet,
      author: { id: a.authorId, name: a.authorName },
      views: a.views,
      createdAt: a.createdAt.toISOString(),
      updatedAt: a.updatedAt.toISOString(),
    };
  }

  private async articleView(a: Article, language: Language): Promise<KnowledgeArticleView> {
    const { snippet: _snippet, ...summary } = this.summaryView(a, '', language);
    return { ...summary, body: a.body, ...(await this.files.filesOf(a)) };
  }

  /** The calendar day a view falls on (see VIEW_DAY_OFFSET_MS), `YYYY-MM-DD`. */
  private viewDay(): string {
    return new Date(this.clock.now().getTime() + VIEW_DAY_OFFSET_MS).toISOString().slice(0, 10);
  }

  private fact(
    userId: string,
    type:
      | 'knowledge_base.created'
      | 'knowledge_category.created'
      | 'knowledge_article.created'
      | 'knowledge_article.updated'
      | 'knowledge_article.deleted',
    targetType: string,
    id: string,
  ): NewAuditEvent {
    return {
      type: `case-management.${type}`,
      actor: { userId },
      target: { type: targetType, id },
      outcome: 'success',
    };
  }
}

function invalid(field: string, message: string): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, { fields: { [field]: [message] } });
}

function categoryView(c: CountedCategory, language: Language): KnowledgeCategoryView {
  return { id: c.id, code: c.code, name: c.name[language], names: c.name, articleCount: c.articleCount };
}

function baseView(
  b: KnowledgeBase & { articleCount: number },
  categories: CountedCategory[],
  language: Language,
): KnowledgeBaseView {
  return {
    id: b.id,
    name: b.name[language],
    names: b.name,
    service: b.serviceCode,
    articleCount: b.articleCount,
    categories: categories.map((c) => categoryView(c, language)),
  };
}
