import { SqlParams } from '../common/sql-params';
import { gramPredicates, hasJapanese, snippetOf } from './gram-search';
import { queryWords } from './search-text.util';

describe(gramPredicates.name, () => {
  it('looks a word of 2+ characters up by its grams and rechecks it; a 1-character word only rechecks', () => {
    const params = new SqlParams();
    const sql = gramPredicates(['障害', 'x'], { text: 't.text', grams: 't.grams' }, params);
    expect(sql).toEqual(['(t.grams @> $2::text[] AND t.text LIKE $1)', 't.text LIKE $3']);
    expect(params.values).toEqual(['%障害%', ['障害'], '%x%']);
  });
});

describe(hasJapanese.name, () => {
  it.each([
    ['障害', true],
    ['ひらがな', true],
    ['カタカナ', true],
    ['ｶﾀｶﾅ', true],
    ['VPN 接続', true],
    ['vpn', false],
    ['ＶＰＮ', false],
    ['123', false],
    ['', false],
  ])('%s → %s', (text, expected) => {
    expect(hasJapanese(text)).toBe(expected);
  });
});

describe(snippetOf.name, () => {
  const long = `${'前置き'.repeat(30)}ここに監視センターの電話番号があります。${'後書き'.repeat(60)}`;

  it('cuts around the first match, with ellipses where it cut', () => {
    const s = snippetOf(long, queryWords('監視'));
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s).toContain('監視センター');
    expect(Array.from(s).length).toBeLessThanOrEqual(122);
  });

  it('finds a word typed in another width or case', () => {
    expect(snippetOf('Please restart the ＶＰＮ client', queryWords('vpn'))).toBe(
      'Please restart the ＶＰＮ client',
    );
    expect(snippetOf(`${'x '.repeat(50)}Upgrade now`, queryWords('UPGRADE'))).toContain('Upgrade now');
  });

  it('starts at the beginning without a match, and folds runs of space', () => {
    expect(snippetOf('a\n\n b', [])).toBe('a b');
    expect(snippetOf(long, []).startsWith('前置き')).toBe(true);
  });
});
