import { DomainError, ErrorCode } from '@app/contracts';
import { articleSearchSql, categoryPosition, minimumQueryLength } from './knowledge-search';

describe(articleSearchSql.name, () => {
  it.each([['障'], ['ab'], ['  '], ['ＡＢ'], ['a b']])('refuses %j as too short', (q) => {
    expect(() => articleSearchSql({ q })).toThrow(new DomainError(ErrorCode.QueryTooShort));
  });

  it.each([['障害'], ['abc'], ['a bc'], ['ＶＰＮ']])('accepts %j', (q) => {
    expect(articleSearchSql({ q }).sql.where.length).toBeGreaterThan(0);
  });

  it('adds the filters as parameters and pages', () => {
    const { sql } = articleSearchSql({ base: 'b', category: 'c', lang: 'en', page: 3, pageSize: 10 });
    expect(sql.where).toEqual(['a.base_id = $1', 'a.category_id = $2', 'a.language = $3']);
    expect(sql.params.values).toEqual(['b', 'c', 'en']);
    expect([sql.limit, sql.offset]).toEqual([10, 20]);
  });

  it('names the minimum length for the query', () => {
    expect([minimumQueryLength('障'), minimumQueryLength('ab')]).toEqual([2, 3]);
  });
});

describe(categoryPosition.name, () => {
  it.each([
    ['01-specs', 1],
    ['10-faq', 10],
    ['2', 2],
    ['faq', null],
    ['9'.repeat(40), 999_999_999_999_999],
  ])('%s → %s', (code, position) => {
    expect(categoryPosition(code)).toBe(position);
  });
});
