import { extractCode } from './extract-code.util';

describe('extractCode', () => {
  it('returns the only run of exactly six digits', () => {
    expect(extractCode('セキュリティコード：012345（有効期限10分）')).toBe('012345');
  });

  it('ignores longer and shorter runs of digits', () => {
    expect(extractCode('order 1234567, code 654321, 2026')).toBe('654321');
  });

  it('throws when there is no code or more than one', () => {
    expect(() => extractCode('no code here 12345')).toThrow('found 0');
    expect(() => extractCode('111111 and 222222')).toThrow('found 2');
  });
});
