import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from './api-client';
import { ApiError } from './api-error';

function client(answers: { status: number; body?: unknown }[]) {
  const calls: { url: string; authorization?: string }[] = [];
  const fetch = vi.fn((url: string, init: RequestInit) => {
    calls.push({ url, authorization: (init.headers as Record<string, string>).Authorization });
    const { status, body } = answers[Math.min(calls.length - 1, answers.length - 1)];
    return Promise.resolve(new Response(body === undefined ? null : JSON.stringify(body), { status }));
  });
  vi.stubGlobal('fetch', fetch);
  let token = 'old';
  const renew = vi.fn(() => {
    token = 'new';
    return Promise.resolve(true);
  });
  const api = new ApiClient({ accessToken: () => token, language: () => 'en', renew });
  return { api, calls, renew };
}

describe('ApiClient', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('renews a refused access token once and repeats the call with the new one', async () => {
    const { api, calls, renew } = client([
      { status: 401, body: { error: { code: 'unauthorized', message: 'Please log in.' } } },
      { status: 200, body: { ok: true } },
    ]);
    await expect(api.get('/me')).resolves.toEqual({ ok: true });
    expect(renew).toHaveBeenCalledTimes(1);
    expect(calls.map((c) => c.authorization)).toEqual(['Bearer old', 'Bearer new']);
  });

  it('does not repeat a wrong code or password: the 401 is about what was sent', async () => {
    const { api, calls, renew } = client([
      {
        status: 401,
        body: { error: { code: 'invalid_code', message: 'Wrong.', details: { attemptsLeft: 4 } } },
      },
    ]);
    const error: unknown = await api
      .post('/auth/login/f/verify', { code: '000000' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('invalid_code');
    expect(renew).not.toHaveBeenCalled();
    expect(calls).toHaveLength(1);
  });
});
