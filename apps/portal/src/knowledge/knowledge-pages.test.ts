import { describe, expect, it } from 'vitest';
import { minimumQueryLength, queryLongEnough } from './knowledge-pages';

describe('the knowledge search length rule', () => {
  it('takes 3 characters, or 2 with Japanese in them, as the API does', () => {
    expect(queryLongEnough('vp')).toBe(false);
    expect(queryLongEnough('vpn')).toBe(true);
    expect(queryLongEnough('  vp  ')).toBe(false);
    expect(queryLongEnough('障害')).toBe(true);
    expect(queryLongEnough('ﾛｸ')).toBe(true);
    expect(queryLongEnough('障')).toBe(false);
    expect(minimumQueryLength('ログ')).toBe(2);
    expect(minimumQueryLength('log')).toBe(3);
  });
});
