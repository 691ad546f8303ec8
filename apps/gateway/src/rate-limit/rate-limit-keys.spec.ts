import { normalizeUserId } from '@app/contracts';
import { accountKey, apiKeyKey, digest } from './rate-limit-keys';

const withBody = (body: unknown) => ({ body, params: {} });

describe('accountKey', () => {
  it('keys one account alike whatever its case, width or surrounding spaces, and not in clear', () => {
    const key = accountKey(withBody({ userId: ' Admin@Example.COM ' }), 'body.userId');
    expect(key).toBe(accountKey(withBody({ userId: 'admin@example.com' }), 'body.userId'));
    expect(accountKey(withBody({ userId: 'ＡＤＭＩＮ' }), 'body.userId')).toBe(
      accountKey(withBody({ userId: 'admin' }), 'body.userId'),
    );
    expect(key).not.toContain('admin');
  });

  it("is auth's key of the user ID, also where NFKC makes a space (trim before or after matters)", () => {
    // U+00A8 DIAERESIS folds to a space and a combining mark: trimmed only when normalised first.
    for (const userId of ['\u00a8taro', 'taro\u02dc ', ' Ｔａｒｏ ']) {
      expect(accountKey(withBody({ userId }), 'body.userId')).toBe(`user:${digest(normalizeUserId(userId))}`);
    }
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
    expect(accountKey(withBody(body), 'body.userId')).toBeUndefined();
  });

  it('keys the steps of a login by their flow and a reset by a hash of its token', () => {
    const flowId = '3f1c2a52-8a4e-4a57-9a0e-2f0b7c1d9e11';
    expect(accountKey({ body: {}, params: { flowId } }, 'param.flowId')).toBe(
      accountKey(withBody({ flowId }), 'body.flowId'),
    );
    const token = 'T'.repeat(43);
    expect(accountKey({ body: {}, params: { token } }, 'param.token')).toMatch(/^reset:/);
    expect(accountKey({ body: {}, params: { token } }, 'param.token')).not.toContain(token);
  });
});

describe('apiKeyKey', () => {
  it('is a hash of X-Api-Key, the same for the same key', () => {
    const key = apiKeyKey({ headers: { 'x-api-key': 'mk_live_secret' } });
    expect(key).toBe(apiKeyKey({ headers: { 'x-api-key': 'mk_live_secret' } }));
    expect(key).not.toContain('secret');
    expect(apiKeyKey({ headers: { 'x-api-key': 'other' } })).not.toBe(key);
    expect(apiKeyKey({ headers: {} })).toBeUndefined();
  });
});
