import { accountKey } from './gateway-throttler.guard';

describe('accountKey', () => {
  it('keys one account alike whatever its case, width or surrounding spaces', () => {
    expect(accountKey({ userId: ' Admin@Example.COM ' })).toBe('account:admin@example.com');
    expect(accountKey({ userId: 'ＡＤＭＩＮ' })).toBe(accountKey({ userId: 'admin' }));
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
