/**
 * Keyword search (CASE-8) with only core PostgreSQL, after pg_bigm's algorithm: the searchable text
 * of a case is folded (NFKC, so full-width and half-width forms meet, then lower case) and stored
 * with the set of its 2-character grams in a GIN-indexed array. A word is looked up by its grams
 * (`@>`, served by the index) and the candidates rechecked with LIKE on the folded text, so a
 * 2-character Japanese word needs exactly one gram and is still exact.
 */
export function foldText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** The distinct 2-character grams of folded text, by code point; grams across a space are skipped. */
export function bigrams(folded: string): string[] {
  const chars = Array.from(folded);
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i += 1) {
    if (!/\s/u.test(chars[i]) && !/\s/u.test(chars[i + 1])) {
      grams.add(chars[i] + chars[i + 1]);
    }
  }
  return [...grams];
}

/** The words of a query, folded; a query is matched when every word is. */
export function queryWords(q: string): string[] {
  return foldText(q)
    .split(/\s+/u)
    .filter((w) => w.length > 0);
}

/** `%word%` for LIKE with the word's own `%`, `_` and `\` taken literally. */
export function likePattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
