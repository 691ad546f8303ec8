import { DomainError, ErrorCode } from '@app/contracts';
import { SqlParams } from '../common/sql-params';
import { bigrams, likePattern, queryWords } from './search-text.util';

/**
 * `q` (CASE-8): every word must occur in the subject, description or a comment. A word of 2+
 * characters is found through its grams in the GIN index, then rechecked with LIKE on the folded
 * text; a 1-character word in a longer query is only rechecked.
 */
export function keywordSql(q: string, params: SqlParams): string[] {
  const words = queryWords(q);
  if (Array.from(words.join('')).length < 2) {
    throw new DomainError(ErrorCode.QueryTooShort, { minLength: 2 });
  }
  return words.map((word) => {
    const like = `c.search_text LIKE ${params.add(likePattern(word))}`;
    return Array.from(word).length >= 2
      ? `(c.search_grams @> ${params.add(bigrams(word))}::text[] AND ${like})`
      : like;
  });
}
