import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { KnowledgeArticleFormat, Language, LocalizedText } from '@app/contracts';
import { AllTenants, CaseScope } from '../caller/case-caller';
import { SqlParams } from '../common/sql-params';

const S = 'case_management';

/** The unique constraint of a category code within its base (see the migration). */
export const CATEGORY_CODE_CONSTRAINT = 'knowledge_category_code';

export interface KnowledgeBase {
  id: string;
  name: LocalizedText;
  serviceCode: string | null;
  createdAt: Date;
}

export interface KnowledgeCategory {
  id: string;
  baseId: string;
  code: string;
  /** The code's leading number, which orders the categories; null when it has none (last). */
  position: number | null;
  name: LocalizedText;
  createdAt: Date;
}

export interface NewArticle {
  id: string;
  baseId: string;
  categoryId: string;
  title: string;
  format: KnowledgeArticleFormat;
  /** A document article's description (plain text); null otherwise. */
  description: string | null;
  /** Sanitised HTML; empty for a document article. */
  body: string;
  /** What a reader sees of the body (a document's description), for snippets. */
  bodyText: string;
  language: Language;
  authorId: string;
  authorName: string;
  /** Folded title and body text, and its grams (search-text.util.ts). */
  searchText: string;
  searchGrams: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** An article as readers get it: with its base's and category's names. */
export interface Article {
  id: string;
  number: string;
  base: { id: string; name: LocalizedText };
  category: { id: string; code: string; name: LocalizedText };
  title: string;
  format: KnowledgeArticleFormat;
  description: string | null;
  /** A document article's committed file; null until it is uploaded (and for `html` articles). */
  documentId: string | null;
  body: string;
  bodyText: string;
  language: Language;
  authorId: string;
  authorName: string;
  views: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A search after parsing: conditions over alias `a` (articles) with their parameters. */
export interface ArticleSearchSql {
  where: string[];
  params: SqlParams;
  limit: number;
  offset: number;
}

export type CountedBase = KnowledgeBase & { articleCount: number };
export type CountedCategory = KnowledgeCategory & { articleCount: number };

interface ArticleRow {
  id: string;
  number: string;
  base_id: string;
  base_name_ja: string;
  base_name_en: string;
  category_id: string;
  category_code: string;
  category_name_ja: string;
  category_name_en: string;
  title: string;
  format: KnowledgeArticleFormat;
  description: string | null;
  document_id: string | null;
  body: string;
  body_text: string;
  language: Language;
  author_id: string;
  author_name: string;
  views: string;
  created_at: Date;
  updated_at: Date;
}

const ARTICLE_COLUMNS = `a.id, a.number, a.base_id, b.name_ja AS base_name_ja, b.name_en AS base_name_en,
  a.category_id, k.code AS category_code, k.name_ja AS category_name_ja, k.name_en AS category_name_en,
  a.title, a.format, a.description, a.document_id, a.body, a.body_text, a.language, a.author_id, a.author_name, a.views, a.created_at, a.updated_at`;

const ARTICLE_FROM = `${S}.knowledge_article a
  JOIN ${S}.knowledge_base b ON b.id = a.base_id
  JOIN ${S}.knowledge_category k ON k.id = a.category_id`;

/**
 * The bases a scope sees, over alias `b` (CASE-10): a customer's tenant sees the general bases and
 * those of the services it contracts — the contract lookup is inside the statement, keyed by the
 * tenant of the verified principal, so no query of a customer path can run without it. Operators
 * see every base.
 */
export function visibleBasePredicate(scope: CaseScope, params: SqlParams, alias = 'b'): string {
  if (scope.kind === 'all') {
    return 'TRUE';
  }
  return `(${alias}.service_code IS NULL OR ${alias}.service_code IN (
    SELECT kc.service_code FROM ${S}.contract kc WHERE kc.tenant_number = ${params.add(scope.tenant)}))`;
}

/**
 * The articles a scope sees, over aliases `a` (articles) and `b` (their bases): those of the bases it
 * sees; for customers only published ones — a document article is published once its file is there.
 */
export function visibleArticlePredicate(scope: CaseScope, params: SqlParams): string {
  const base = visibleBasePredicate(scope, params);
  return scope.kind === 'all' ? base : `${base} AND (a.format = 'html' OR a.document_id IS NOT NULL)`;
}

/** Articles of a base or category a scope counts (over alias `a`): customers count published ones. */
function countedArticles(scope: CaseScope): string {
  return scope.kind === 'all' ? 'TRUE' : `(a.format = 'html' OR a.document_id IS NOT NULL)`;
}

/**
 * All I/O of the knowledge base (CASE-10). Every read takes a CaseScope; an article of a base the
 * tenant does not see is not found, exactly as an article that does not exist. Reads that only
 * operators may make take AllTenants, which only operatorOf makes, so no customer path can call them.
 */
@Injectable()
export class KnowledgeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insertBase(manager: EntityManager, base: KnowledgeBase): Promise<void> {
    await manager.query(
      `INSERT INTO ${S}.knowledge_base (id, name_ja, name_en, service_code, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [base.id, base.name.ja, base.name.en, base.serviceCode, base.createdAt],
    );
  }

  async insertCategory(manager: EntityManager, c: KnowledgeCategory): Promise<void> {
    await manager.query(
      `INSERT INTO ${S}.knowledge_category (id, base_id, code, position, name_ja, name_en, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [c.id, c.baseId, c.code, c.position, c.name.ja, c.name.en, c.createdAt],
    );
  }

  /** Operators: a base by id, or null. */
  async base(_scope: AllTenants, id: string): Promise<KnowledgeBase | null> {
    const rows: BaseRow[] = await this.dataSource.query(
      `SELECT id, name_ja, name_en, service_code, created_at FROM ${S}.knowledge_base WHERE id = $1`,
      [id],
    );
    return rows.length > 0 ? toBase(rows[0]) : null;
  }

  /** Operators: a category of the given base, or null (a category of another base is null too). */
  async categoryOf(_scope: AllTenants, baseId: string, id: string): Promise<KnowledgeCategory | null> {
    const rows: CategoryRow[] = await this.dataSource.query(
      `SELECT id, base_id, code, position, name_ja, name_en, created_at
         FROM ${S}.knowledge_category WHERE id = $1 AND base_id = $2`,
      [id, baseId],
    );
    return rows.length > 0 ? toCategory(rows[0]) : null;
  }

  /** The bases in scope with their article counts, general ones first, then in creation order. */
  async basesInScope(scope: CaseScope): Promise<CountedBase[]> {
    const params = new SqlParams();
    const rows: (BaseRow & { article_count: string })[] = await this.dataSource.query(
      `SELECT b.id, b.name_ja, b.name_en, b.service_code, b.created_at,
              (SELECT count(*) FROM ${S}.knowledge_article a
                WHERE a.base_id = b.id AND ${countedArticles(scope)}) AS article_count
         FROM ${S}.knowledge_base b
        WHERE ${visibleBasePredicate(scope, params)}
        ORDER BY b.service_code IS NOT NULL, b.created_at, b.id`,
      params.values,
    );
    return rows.map((r) => ({ ...toBase(r), articleCount: Number(r.article_count) }));
  }

  /** The categories of the given bases with article counts, in the order of their number prefix. */
  async categoriesOf(scope: CaseScope, baseIds: string[]): Promise<CountedCategory[]> {
    if (baseIds.length === 0) {
      return [];
    }
    const rows: (CategoryRow & { article_count: string })[] = await this.dataSource.query(
      `SELECT k.id, k.base_id, k.code, k.position, k.name_ja, k.name_en, k.created_at,
              (SELECT count(*) FROM ${S}.knowledge_article a
                WHERE a.category_id = k.id AND ${countedArticles(scope)}) AS article_count
         FROM ${S}.knowledge_category k
        WHERE k.base_id = ANY($1::uuid[])
        ORDER BY k.position ASC NULLS LAST, k.code`,
      [baseIds],
    );
    return rows.map((r) => ({ ...toCategory(r), articleCount: Number(r.article_count) }));
  }

  /** Inserts an article with the next number of the sequence and returns the number. */
  async insertArticle(manager: EntityManager, a: NewArticle): Promise<string> {
    const rows: { number: string }[] = await manager.query(
      `INSERT INTO ${S}.knowledge_article (id, number, base_id, category_id, title, body, body_text, language,
         author_id, author_name, search_text, search_grams, created_at, updated_at, format, description)
       VALUES ($1, 'KB' || lpad(nextval('${S}.knowledge_article_number_seq')::text, 7, '0'), $2, $3, $4, $5, $6,
         $7, $8, $9, $10, $11, $12, $13, $14, $15)
       RETURNING number`,
      [
        a.id,
        a.baseId,
        a.categoryId,
        a.title,
        a.body,
        a.bodyText,
        a.language,
        a.authorId,
        a.authorName,
        a.searchText,
        a.searchGrams,
        a.createdAt,
        a.updatedAt,
        a.format,
        a.description,
      ],
    );
    return rows[0].number;
  }

  /** Operators: the article's id, locked until `manager`'s transaction ends, or null. */
  async lockArticle(manager: EntityManager, scope: AllTenants, number: string): Promise<string | null> {
    return (await this.lockArticleRow(manager, scope, number))?.id ?? null;
  }

  /** Operators: the article's id, format and document, locked until `manager`'s transaction ends. */
  async lockArticleRow(
    manager: EntityManager,
    _scope: AllTenants,
    number: string,
  ): Promise<{ id: string; format: KnowledgeArticleFormat; documentId: string | null } | null> {
    const rows: { id: string; format: KnowledgeArticleFormat; document_id: string | null }[] =
      await manager.query(
        `SELECT id, format, document_id FROM ${S}.knowledge_article WHERE number = $1 FOR UPDATE`,
        [number],
      );
    const r = rows[0];
    return r ? { id: r.id, format: r.format, documentId: r.document_id } : null;
  }

  /** Replaces what an operator edits; the author stays who wrote it first. */
  async updateArticle(
    manager: EntityManager,
    id: string,
    a: Omit<NewArticle, 'id' | 'authorId' | 'authorName' | 'createdAt'>,
  ): Promise<void> {
    await manager.query(
      `UPDATE ${S}.knowledge_article SET base_id = $2, category_id = $3, title = $4, body = $5, body_text = $6,
         language = $7, search_text = $8, search_grams = $9, updated_at = $10, description = $11
       WHERE id = $1`,
      [
        id,
        a.baseId,
        a.categoryId,
        a.title,
        a.body,
        a.bodyText,
        a.language,
        a.searchText,
        a.searchGrams,
        a.updatedAt,
        a.description,
      ],
    );
  }

  async deleteArticle(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`DELETE FROM ${S}.knowledge_article WHERE id = $1`, [id]);
  }

  /** One article in scope, or null: an article of a base the tenant does not see is null too. */
  async article(scope: CaseScope, number: string): Promise<Article | null> {
    const params = new SqlParams();
    const rows: ArticleRow[] = await this.dataSource.query(
      `SELECT ${ARTICLE_COLUMNS} FROM ${ARTICLE_FROM}
        WHERE ${visibleArticlePredicate(scope, params)} AND a.number = ${params.add(number)}`,
      params.values,
    );
    return rows.length > 0 ? toArticle(rows[0]) : null;
  }

  /**
   * A page of the articles in scope, newest first, and how many matched. The scope's predicate goes
   * in before any condition of the search, so neither the page nor the count sees another base.
   */
  async search(scope: CaseScope, query: ArticleSearchSql): Promise<{ rows: Article[]; total: number }> {
    const params = query.params;
    const where = [visibleArticlePredicate(scope, params), ...query.where].join(' AND ');
    const countValues = [...params.values];
    const limit = params.add(query.limit);
    const offset = params.add(query.offset);
    const rows: (ArticleRow & { total: string })[] = await this.dataSource.query(
      `SELECT ${ARTICLE_COLUMNS}, count(*) OVER () AS total FROM ${ARTICLE_FROM}
        WHERE ${where}
        ORDER BY a.updated_at DESC, a.number DESC LIMIT ${limit} OFFSET ${offset}`,
      params.values,
    );
    if (rows.length > 0) {
      return { rows: rows.map(toArticle), total: Number(rows[0].total) };
    }
    // A page past the end still tells the count.
    const count: { n: string }[] = await this.dataSource.query(
      `SELECT count(*) AS n FROM ${ARTICLE_FROM} WHERE ${where}`,
      countValues,
    );
    return { rows: [], total: Number(count[0].n) };
  }

  /**
   * Counts a view of `userId` on `day` (CASE-10: one per user per day) in one statement: the
   * (article, user, day) row goes in only if absent — a concurrent second view waits on the primary
   * key and then inserts nothing — and only an inserted row adds to the article's count. Returns the
   * new count, or null when this user's view of the day was already counted.
   */
  async countView(articleId: string, userId: string, day: string): Promise<number | null> {
    const rows: { views: string }[] = await this.dataSource.query(
      // Ending in a SELECT, so the driver answers the returned rows as they are.
      `WITH fresh AS (
         INSERT INTO ${S}.knowledge_view (article_id, user_id, day) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING article_id),
       bumped AS (
         UPDATE ${S}.knowledge_article a SET views = a.views + 1 FROM fresh
          WHERE a.id = fresh.article_id RETURNING a.views)
       SELECT views FROM bumped`,
      [articleId, userId, day],
    );
    return rows.length > 0 ? Number(rows[0].views) : null;
  }
}

interface BaseRow {
  id: string;
  name_ja: string;
  name_en: string;
  service_code: string | null;
  created_at: Date;
}

interface CategoryRow {
  id: string;
  base_id: string;
  code: string;
  position: string | null;
  name_ja: string;
  name_en: string;
  created_at: Date;
}

function toBase(r: BaseRow): KnowledgeBase {
  return {
    id: r.id,
    name: { ja: r.name_ja, en: r.name_en },
    serviceCode: r.service_code,
    createdAt: r.created_at,
  };
}

function toCategory(r: CategoryRow): KnowledgeCategory {
  return {
    id: r.id,
    baseId: r.base_id,
    code: r.code,
    position: r.position === null ? null : Number(r.position),
    name: { ja: r.name_ja, en: r.name_en },
    createdAt: r.created_at,
  };
}

function toArticle(r: ArticleRow): Article {
  return {
    id: r.id,
    number: r.number,
    base: { id: r.base_id, name: { ja: r.base_name_ja, en: r.base_name_en } },
    category: {
      id: r.category_id,
      code: r.category_code,
      name: { ja: r.category_name_ja, en: r.category_name_en },
    },
    title: r.title,
    format: r.format,
    description: r.description,
    documentId: r.document_id,
    body: r.body,
    bodyText: r.body_text,
    language: r.language,
    authorId: r.author_id,
    authorName: r.author_name,
    views: Number(r.views),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
