import { DomainError, ErrorCode } from '@app/contracts';
import { SqlParams } from '../common/sql-params';
import { gramPredicates } from '../text/gram-search';
import { queryWords } from '../text/search-text.util';

/**
 * `q` (CASE-8): every word must occur in the subject, description or a comment, found through the
 * case's grams (see gramPredicates).
 */
export function keywordSql(q: string, params: SqlParams): string[] {
  const words = queryWords(q);
  if (Array.from(words.join('')).length < 2) {
    throw new DomainError(ErrorCode.QueryTooShort, { minLength: 2 });
  }
  return gramPredicates(words, { text: 'c.search_text', grams: 'c.search_grams' }, params);
}
