import {
  ApiClient,
  ApiResponse,
  randomSuffix,
  SmtpSink,
  startPlatform,
  strongPassword,
  withoutRequestId,
} from '@app/testing';
import { createOperator, loginWithEmailCode } from './support/story-helpers';

const MEGABYTE = 'a'.repeat(1024 * 1024);
const WRONG_TYPES: unknown[] = [12345, true, null, [], {}, ['x'], -1.5];

interface Endpoint {
  method: 'POST' | 'GET';
  path: string;
  /** A well-formed body, whose fields are replaced one by one with wrong values. */
  body?: Record<string, unknown>;
  auth?: 'operator';
}

const FLOW = '3f1c2a52-8a4e-4a57-9a0e-2f0b7c1d9e11';
const TOKEN = 'x'.repeat(43);

const ENDPOINTS: Endpoint[] = [
  { method: 'POST', path: '/auth/login', body: { userId: 'someone', password: 'Passw0rd!Passw0rd' } },
  { method: 'POST', path: `/auth/login/${FLOW}/challenge`, body: { method: 'email' } },
  { method: 'POST', path: `/auth/login/${FLOW}/verify`, body: { method: 'email', code: '123456' } },
  { method: 'POST', path: '/auth/refresh', body: { refreshToken: 'abc.def' } },
  { method: 'POST', path: '/auth/logout', body: { all: true }, auth: 'operator' },
  { method: 'POST', path: '/auth/tenant', body: { tenant: 'N202400003' }, auth: 'operator' },
  { method: 'POST', path: '/auth/password-reset', body: { userId: 'someone', email: 'someone@example.com' } },
  { method: 'POST', path: `/auth/password-reset/${TOKEN}`, body: { newPassword: 'Passw0rd!Passw0rd' } },
  { method: 'POST', path: '/ops/tenants', body: { number: 'N202499999', name: 'Name' }, auth: 'operator' },
  {
    method: 'POST',
    path: '/ops/tenants/N202499999/users',
    body: { userId: 'u1', email: 'u1@example.com', familyName: 'F', admin: true },
    auth: 'operator',
  },
];

function expectClientError(res: ApiResponse, label: string): void {
  if (res.status < 400 || res.status >= 500) {
    throw new Error(`${label}: expected 4xx, got ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  }
  expect(res.body.error.code).toMatch(/^[a-z_]+$/);
  expect(typeof res.body.error.message).toBe('string');
  expect(typeof res.body.error.requestId).toBe('string');
  expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(js|ts):\d+|stack/i);
}

describe('malformed input and lockout through the gateway', () => {
  const smtp = new SmtpSink();
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let api: ApiClient;
  let operatorApi: ApiClient;

  beforeAll(async () => {
    const mail = await smtp.start();
    // 100 wrong passwords at once for one account: the lockout is under test, not the rate limits.
    platform = await startPlatform({
      env: {
        SMTP_URL: mail.url,
        SMTP_REQUIRE_TLS: 'false',
        RATE_LIMIT_CREDENTIAL_ACCOUNT_PER_MINUTE: '100000',
        RATE_LIMIT_CREDENTIAL_ADDRESS_PER_MINUTE: '100000',
      },
    });
    api = new ApiClient(platform.baseUrl);
    const operator = {
      userId: `ops-in-${randomSuffix()}`,
      email: `ops-in-${randomSuffix()}@provider.example`,
      password: strongPassword(),
    };
    await createOperator(operator.userId, operator.email, operator.password);
    const tokens = await loginWithEmailCode(api, smtp, operator.userId, operator.email, operator.password);
    operatorApi = api.withToken(tokens.accessToken);
  });

  afterAll(async () => {
    await platform?.stop();
    await smtp.stop();
  });

  const client = (e: Endpoint) => (e.auth ? operatorApi : api);

  it.each(ENDPOINTS.map((e) => [`${e.method} ${e.path}`, e] as const))(
    '%s refuses bad JSON, wrong types, missing fields and 1 MB strings',
    async (_label, endpoint) => {
      const c = client(endpoint);
      expectClientError(await c.postRaw(endpoint.path, '{"userId": "x", '), 'bad JSON');
      expectClientError(await c.postRaw(endpoint.path, '[1,2,3]'), 'array body');
      const body = endpoint.body ?? {};
      for (const field of Object.keys(body)) {
        for (const wrong of WRONG_TYPES) {
          // `all` is an optional boolean: null means "not given" and would really log the operator out.
          if (field === 'all' && (typeof wrong === 'boolean' || wrong === null)) {
            continue;
          }
          expectClientError(
            await c.post(endpoint.path, { ...body, [field]: wrong }),
            `${field}=${JSON.stringify(wrong)}`,
          );
        }
        const { [field]: _missing, ...rest } = body;
        if (field !== 'all') {
          expectClientError(await c.post(endpoint.path, rest), `missing ${field}`);
        }
        expectClientError(await c.post(endpoint.path, { ...body, [field]: MEGABYTE }), `1 MB ${field}`);
      }
      expectClientError(await c.post(endpoint.path, { ...body, unexpected: 'field' }), 'unknown field');
    },
  );

  it.each([
    ['NUL in a login ID', '/auth/login', { userId: '\u0000', password: 'x' }],
    ['a lone surrogate in a login ID', '/auth/login', { userId: 'a\ud800', password: 'x' }],
    ['NUL in a password', '/auth/login', { userId: 'someone', password: 'Passw0rd!\u0000' }],
    ['null as the passkey user ID', '/auth/passkey/options', { userId: null }],
    ['NUL as the passkey user ID', '/auth/passkey/options', { userId: 'a\u0000' }],
    ['a lone surrogate as a reset e-mail', '/auth/password-reset', { userId: 'someone', email: '\ud800' }],
    ['a line break in a login ID', '/auth/login', { userId: 'a\nb', password: 'x' }],
  ])('refuses %s as 400 validation_failed', async (_label, path, body) => {
    const res = await api.post(path, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(Object.keys(res.body.error.details.fields).length).toBeGreaterThan(0);
  });

  it('refuses NUL and lone surrogates in a tenant name, and keeps Japanese and emoji', async () => {
    for (const name of ['Example\u0000Corp', '\udc00']) {
      const res = await operatorApi.post('/ops/tenants', { number: 'N202499998', name });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const ok = await operatorApi.post('/ops/tenants', {
      number: `N2024${randomSuffix().slice(0, 5).replace(/[a-f]/g, '7')}`,
      name: '株式会社 見本 🙂',
    });
    expect(ok.status).toBe(201);
  });

  it('refuses malformed path and query parameters', async () => {
    expectClientError(await api.post('/auth/login/not-a-flow/challenge', { method: 'email' }), 'flow id');
    expectClientError(await api.get('/auth/password-reset/%00%00'), 'reset token');
    expectClientError(await operatorApi.post('/ops/tenants/lower-case/users', {}), 'tenant number');
    expectClientError(await operatorApi.get('/admin/audit-events?from=yesterday'), 'audit query');
  });

  it('answers unknown routes and missing tokens in the error envelope', async () => {
    expectClientError(await api.get('/no/such/route'), 'unknown route');
    expectClientError(await api.get('/admin/users'), 'no token');
    expectClientError(await api.withToken('not-a-jwt').get('/admin/users'), 'bad token');
  });

  it('locks a known and an unknown ID alike under 100 concurrent wrong passwords', async () => {
    const known = {
      userId: `ops-lock-${randomSuffix()}`,
      email: `lock-${randomSuffix()}@provider.example`,
      password: strongPassword(),
    };
    await createOperator(known.userId, known.email, known.password);
    const unknownId = `nobody-${randomSuffix()}`;

    const storm = (userId: string) =>
      Promise.all(
        Array.from({ length: 100 }, () => api.post('/auth/login', { userId, password: 'Wrong-Passw0rd!' })),
      );
    const [knownAnswers, unknownAnswers] = [await storm(known.userId), await storm(unknownId)];

    for (const answers of [knownAnswers, unknownAnswers]) {
      expect(answers.filter((a) => a.status === 200)).toHaveLength(0);
      const invalid = answers.filter((a) => a.status === 401);
      const locked = answers.filter((a) => a.status === 423);
      expect(invalid.length).toBeLessThanOrEqual(5);
      expect(invalid.length + locked.length).toBe(100);
    }
    const shape = (answers: ApiResponse[]) =>
      answers
        .map((a) => {
          const body = withoutRequestId(a.body) as any;
          delete body.error.details?.retryAfter;
          return `${a.status} ${JSON.stringify(body)}`;
        })
        .sort();
    expect(new Set(shape(knownAnswers))).toEqual(new Set(shape(unknownAnswers)));

    const right = await api.post('/auth/login', { userId: known.userId, password: known.password });
    expect(right.status).toBe(423);
    expect(right.body.error.code).toBe('account_locked');
    const unknownRight = await api.post('/auth/login', { userId: unknownId, password: known.password });
    expect(unknownRight.status).toBe(423);
    expect(withoutRequestId(unknownRight.body)).toMatchObject({ error: { code: 'account_locked' } });
  });
});
