import { bigrams, foldText, likePattern, queryWords } from './search-text.util';

describe('search text (CASE-8)', () => {
  it('folds full-width ASCII and half-width kana', () => {
    expect(foldText('ＶＰＮ接続ｴﾗｰ')).toBe('vpn接続エラー');
  });

  it('makes the 2-character grams of a text', () => {
    expect(bigrams('障害発生')).toEqual(['障害', '害発', '発生']);
    expect(bigrams('a bc')).toEqual(['bc']);
  });

  it('splits a query into folded words and escapes LIKE patterns', () => {
    expect(queryWords(' ＶＰＮ　障害 ')).toEqual(['vpn', '障害']);
    expect(likePattern('50%_a\\')).toBe('%50\\%\\_a\\\\%');
  });
});
