import { SqlParams } from '../common/sql-params';
import { bigrams, foldText, likePattern } from './search-text.util';

/** The two columns of a table searched by grams: its folded text and that text's GIN-indexed grams. */
export interface GramColumns {
  text: string;
  grams: string;
}

/**
 * One predicate per query word (all must hold): a word of 2+ characters is found through its grams,
 * which the GIN index serves, then rechecked with LIKE on the folded text so the match is exact; a
 * 1-character word in a longer query is only rechecked. Cases (CASE-8) and knowledge (CASE-10) share
 * it, so both find a 2-character Japanese word the same way.
 */
export function gramPredicates(words: string[], columns: GramColumns, params: SqlParams): string[] {
  return words.map((word) => {
    const like = `${columns.text} LIKE ${params.add(likePattern(word))}`;
    return Array.from(word).length >= 2
      ? `(${columns.grams} @> ${params.add(bigrams(word))}::text[] AND ${like})`
      : like;
  });
}

/**
 * True when the text holds a Japanese character (kana or kanji, half-width kana included). CASE-10
 * lets such a query be 2 characters long, as a Japanese word of two kanji is a whole word, where
 * two Latin letters are not.
 */
export function hasJapanese(text: string): boolean {
  return /[\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Han}]/u.test(foldText(text));
}

/** Code points of context shown before the first match in a snippet. */
const SNIPPET_LEAD = 30;

/**
 * A short extract of plain text around the first place one of the (folded) words occurs, with `…`
 * where it was cut; the start of the text when no word is found as typed (a match that only NFKC of
 * neighbouring characters makes, such as half-width kana with a separate voicing mark).
 */
export function snippetOf(plain: string, words: string[], width = 120): string {
  const chars = Array.from(plain.replace(/\s+/gu, ' ').trim());
  // The folded text with, for each of its code points, the index of the character it came from.
  let folded = '';
  const origin: number[] = [];
  chars.forEach((c, i) => {
    for (const f of Array.from(foldText(c))) {
      folded += f;
      origin.push(i);
    }
  });
  let first = -1;
  for (const word of words) {
    const at = folded.indexOf(word);
    if (at >= 0) {
      // indexOf counts UTF-16 units; count code points up to it.
      const point = Array.from(folded.slice(0, at)).length;
      first = first < 0 ? origin[point] : Math.min(first, origin[point]);
    }
  }
  const start = first <= SNIPPET_LEAD ? 0 : first - SNIPPET_LEAD;
  const end = Math.min(chars.length, start + width);
  return `${start > 0 ? '…' : ''}${chars.slice(start, end).join('')}${end < chars.length ? '…' : ''}`;
}
