import { normalizeUserId } from '@app/contracts';
import { accountKey } from './gateway-throttler.guard';

describe('accountKey', () => {
  it('keys one account alike whatever its case, width or surrounding spaces', () => {
    expect(accountKey({ userId: ' Admin@Example.COM ' })).toBe('account:admin@example.com');
    expect(accountKey({ userId: 'ＡＤＭＩＮ' })).toBe(accountKey({ userId: 'admin' }));
  });

  it("is auth's key of the user ID, also where NFKC makes a space (trim before or after matters)", () => {
    // U+00A8 DIAERESIS folds to a space and a combining mark: trimmed only when normalised first.
    for (const userId of ['\u00a8taro', 'taro\u02dc ', ' Ｔａｒｏ ']) {
      expect(accountKey({ userId })).toBe(`account:${normalizeUserId(userId)}`);
    }
    expect(accountKey({ userId: '\u00a8taro' })).toBe('account:\u0308taro');
  });

  it.each([
    [undefined],
    [null],
    [[]],
    [{}],
    [{ userId: 42 }],
    [{ userId: '' }],
    [{ userId: 'x'.repeat(300) }],
  ])('has no account for %p, so only the address limit applies', (body) => {
    expect(accountKey(body)).toBeUndefined();
  });
});
