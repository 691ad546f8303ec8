import { CASE_DEFAULT_PAGE_SIZE, DomainError, ErrorCode, KnowledgeSearchQueryDto } from '@app/contracts';
import { SqlParams } from '../common/sql-params';
import { gramPredicates, hasJapanese } from '../text/gram-search';
import { queryWords } from '../text/search-text.util';
import { ArticleSearchSql } from './knowledge.repository';

/** CASE-10: a query with a Japanese character may be 2 characters long; any other needs 3. */
export function minimumQueryLength(q: string): number {
  return hasJapanese(q) ? 2 : 3;
}

/**
 * A search's filters and keyword as SQL over alias `a`, and the folded words (for snippets). The
 * scope's predicate is the repository's to add. `q` is found as cases' keywords are: every word
 * through the grams of the article's folded title and body.
 */
export function articleSearchSql(query: KnowledgeSearchQueryDto): { sql: ArticleSearchSql; words: string[] } {
  const params = new SqlParams();
  const where: string[] = [];
  if (query.base !== undefined) {
    where.push(`a.base_id = ${params.add(query.base)}`);
  }
  if (query.category !== undefined) {
    where.push(`a.category_id = ${params.add(query.category)}`);
  }
  if (query.lang !== undefined) {
    where.push(`a.language = ${params.add(query.lang)}`);
  }
  let words: string[] = [];
  if (query.q !== undefined) {
    words = queryWords(query.q);
    const minLength = minimumQueryLength(query.q);
    if (Array.from(words.join('')).length < minLength) {
      throw new DomainError(ErrorCode.QueryTooShort, { minLength });
    }
    where.push(...gramPredicates(words, { text: 'a.search_text', grams: 'a.search_grams' }, params));
  }
  const pageSize = query.pageSize ?? CASE_DEFAULT_PAGE_SIZE;
  const page = query.page ?? 1;
  return { sql: { where, params, limit: pageSize, offset: (page - 1) * pageSize }, words };
}

/** A category's place among its siblings: the number its code starts with (`02-guides` → 2). */
export function categoryPosition(code: string): number | null {
  const digits = /^[0-9]{1,15}/.exec(code);
  return digits ? Number(digits[0]) : null;
}
