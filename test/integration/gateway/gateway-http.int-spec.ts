import { randomUUID } from 'node:crypto';
import { DomainError, ERROR_CATALOG, ErrorCode, revokedSessionKey, UserView } from '@app/contracts';
import { createRedis } from '@app/messaging';
import { parseSigningKeys } from '@app/config';
import {
  Answer,
  call,
  newSigningKeyJwk,
  randomSuffix,
  runSigningKeys,
  signingKeysEnv,
  unsignedAccessToken,
} from '@app/testing';
import { accessToken, redisPrefix, RunningGateway, StandInServices, startGateway } from './gateway-harness';

jest.setTimeout(30_000);

const FLOW = '3f1c2a52-8a4e-4a57-9a0e-2f0b7c1d9e11';
const RESET_TOKEN = 'T'.repeat(43);
const authenticated = {
  status: 'authenticated' as const,
  accessToken: 'a.b.c',
  refreshToken: 'r',
  expiresIn: 900,
  tenants: [{ number: 'N202400003', name: 'Example', role: 'admin' as const }],
  activeTenant: 'N202400003',
};
const user: UserView = {
  id: randomUUID(),
  userId: 'admin@example.com',
  email: 'admin@example.com',
  familyName: 'Yamada',
  givenName: null,
  phone: null,
  language: 'ja',
  timezone: 'Asia/Tokyo',
  admin: true,
  mfaRequired: true,
  loginDisabled: false,
  locked: false,
  createdAt: '2026-01-01T00:00:00.000Z',
};

function expectEnvelope(answer: Answer, status: number, code: ErrorCode): void {
  expect({ status: answer.status, code: answer.body?.error?.code }).toEqual({ status, code });
  expect(answer.body.error.message).toBe(ERROR_CATALOG[code].en);
  expect(answer.body.error.requestId).toBe(answer.headers.get('x-request-id'));
  expect(JSON.stringify(answer.body)).not.toMatch(/stack|at .*\.(js|ts):\d+/);
}

describe('gateway over HTTP, with the services stood in for', () => {
  const services = new StandInServices();
  let gw: RunningGateway;
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

  beforeAll(async () => {
    services
      .on('auth.login.password', async (data) => {
        if (data.userId === 'locked') {
          throw new DomainError(ErrorCode.AccountLocked, { retryAfter: 1200 });
        }
        if (data.userId === 'wrong') {
          throw new DomainError(ErrorCode.InvalidCredentials);
        }
        if (data.userId === 'down') {
          throw new DomainError(ErrorCode.ServiceUnavailable);
        }
        return {
          status: 'second_factor_required',
          flowId: FLOW,
          expiresAt: '2026-01-01T00:15:00.000Z',
          methods: [{ type: 'email' }],
        };
      })
      .on('auth.login.challenge', (data) => ({
        method: data.method,
        destination: 'a***@example.com',
        expiresAt: 'x',
        resendAfter: 30,
      }))
      .on('auth.login.verify', (data) =>
        data.trustBrowser ? { ...authenticated, deviceToken: 'device-token-1' } : authenticated,
      )
      .on('auth.token.refresh', () => authenticated)
      .on('auth.logout', () => ({}))
      .on('auth.tenant.select', () => authenticated)
      .on('auth.password.policy', () => ({ minLength: 12, maxLength: 40, symbols: '!@#$%&*?+-=', rules: [] }))
      .on('auth.password_reset.request', () => ({ status: 'accepted' }))
      .on('auth.password_reset.inspect', () => ({ userId: 'admin@example.com', locked: false }))
      .on('auth.password_reset.complete', () => ({}))
      .on('auth.tenant.create', (data) => ({ number: data.number, name: data.name, createdAt: 'now' }))
      .on('auth.tenant.list', () => [])
      .on('auth.tenant.user.create', () => user)
      .on('auth.admin.user.list', () => [
        {
          ...user,
          displayName: null,
          title: null,
          officePhone: null,
          emailUndeliverable: false,
          notificationEmail: null,
        },
      ])
      .on('auth.admin.user.unlock', () => ({}))
      .on('audit-trail.events.query', () => ({ items: [], nextCursor: null }))
      .on('notification.outbox.list', () => []);
    for (const s of [
      'auth.health',
      'notification.health',
      'case-management.health',
      'audit-trail.health',
    ] as const) {
      services.on(s, () => ({ service: s.split('.')[0], status: 'up', checks: { database: 'up' } }));
    }
    gw = await startGateway({ DEV_OUTBOX: 'true' }, services);
  });

  afterAll(async () => {
    await gw?.close();
    redis.disconnect();
  });

  describe('request id', () => {
    it('echoes a well-formed X-Request-Id, in the header and in error bodies, and hands it to the services', async () => {
      const id = `it-${randomSuffix()}`;
      const ok = await call(gw.url, 'GET', '/api/v1/auth/password-policy', {
        headers: { 'x-request-id': id },
      });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-request-id')).toBe(id);
      expect(services.last('auth.password.policy')?.ctx).toMatchObject({ requestId: id, language: 'en' });
      const bad = await call(gw.url, 'POST', '/api/v1/auth/login', {
        raw: '{',
        headers: { 'x-request-id': id },
      });
      expect(bad.body.error.requestId).toBe(id);
    });

    it('replaces an unsafe one with a uuid', async () => {
      const answer = await call(gw.url, 'GET', '/health', { headers: { 'x-request-id': 'x'.repeat(65) } });
      expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('malformed input is 4xx in the envelope, never 500', () => {
    it('bad JSON → 400 validation_failed with details.fields', async () => {
      const answer = await call(gw.url, 'POST', '/api/v1/auth/login', { raw: '{"userId": "x", ' });
      expectEnvelope(answer, 400, ErrorCode.ValidationFailed);
      expect(answer.body.error.details.fields.body).toEqual(expect.any(Array));
    });

    it('a JSON array or a bare value → 400', async () => {
      expectEnvelope(
        await call(gw.url, 'POST', '/api/v1/auth/login', { raw: '[1,2,3]' }),
        400,
        ErrorCode.ValidationFailed,
      );
      expectEnvelope(
        await call(gw.url, 'POST', '/api/v1/auth/login', { raw: '"text"' }),
        400,
        ErrorCode.ValidationFailed,
      );
      expectEnvelope(
        await call(gw.url, 'POST', '/api/v1/auth/login', { raw: 'null' }),
        400,
        ErrorCode.ValidationFailed,
      );
    });

    it('wrong types, missing and unknown fields → 400 naming the fields', async () => {
      const answer = await call(gw.url, 'POST', '/api/v1/auth/login', {
        body: { userId: 12345, extra: true },
      });
      expectEnvelope(answer, 400, ErrorCode.ValidationFailed);
      expect(Object.keys(answer.body.error.details.fields).sort()).toEqual(['extra', 'password', 'userId']);
    });

    it('no body or another content type → 400', async () => {
      expectEnvelope(await call(gw.url, 'POST', '/api/v1/auth/login'), 400, ErrorCode.ValidationFailed);
      expectEnvelope(
        await call(gw.url, 'POST', '/api/v1/auth/login', {
          raw: 'userId=a',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
        400,
        ErrorCode.ValidationFailed,
      );
    });

    it('a 1 MB body → 413 payload_too_large', async () => {
      const answer = await call(gw.url, 'POST', '/api/v1/auth/login', {
        body: { userId: 'a'.repeat(1024 * 1024), password: 'x' },
      });
      expectEnvelope(answer, 413, ErrorCode.PayloadTooLarge);
    });

    it('malformed path and query parameters → 400', async () => {
      expectEnvelope(
        await call(gw.url, 'POST', '/api/v1/auth/login/not-a-flow/challenge', { body: { method: 'email' } }),
        400,
        ErrorCode.ValidationFailed,
      );
      expectEnvelope(
        await call(gw.url, 'GET', '/api/v1/auth/password-reset/%00%00'),
        400,
        ErrorCode.ValidationFailed,
      );
      expectEnvelope(
        await call(gw.url, 'GET', '/api/v1/auth/password-reset/%FF'),
        400,
        ErrorCode.ValidationFailed,
      );
      const operator = accessToken({ role: 'operator', tenant: null });
      expectEnvelope(
        await call(gw.url, 'POST', '/api/v1/ops/tenants/lower-case/users', { body: {}, token: operator }),
        400,
        ErrorCode.ValidationFailed,
      );
      const admin = accessToken();
      expectEnvelope(
        await call(gw.url, 'GET', '/api/v1/admin/audit-events?from=yesterday', { token: admin }),
        400,
        ErrorCode.ValidationFailed,
      );
    });

    it('unknown routes → 404 not_found, under the prefix and outside it', async () => {
      expectEnvelope(await call(gw.url, 'GET', '/api/v1/no/such/route'), 404, ErrorCode.NotFound);
      expectEnvelope(await call(gw.url, 'DELETE', '/api/v1/auth/login'), 404, ErrorCode.NotFound);
      expectEnvelope(await call(gw.url, 'GET', '/nothing-here'), 404, ErrorCode.NotFound);
    });

    it('answers in Japanese for Accept-Language ja', async () => {
      const answer = await call(gw.url, 'POST', '/api/v1/auth/login', {
        raw: '{',
        headers: { 'accept-language': 'ja,en;q=0.5' },
      });
      expect(answer.body.error.message).toBe(ERROR_CATALOG[ErrorCode.ValidationFailed].ja);
    });
  });

  describe('access tokens, roles and tenants', () => {
    it('refuses a missing, malformed, foreign, unsigned or expired token with 401 unauthorized', async () => {
      expectEnvelope(await call(gw.url, 'GET', '/api/v1/admin/users'), 401, ErrorCode.Unauthorized);
      expectEnvelope(
        await call(gw.url, 'GET', '/api/v1/admin/users', { token: 'not-a-jwt' }),
        401,
        ErrorCode.Unauthorized,
      );
      const [foreignKey] = parseSigningKeys(signingKeysEnv(newSigningKeyJwk()));
      const [ours] = runSigningKeys();
      const wrong = [
        accessToken({}, { key: foreignKey }),
        accessToken({}, { key: foreignKey, kid: ours.kid }),
        accessToken({}, { audience: 'another-service' }),
        accessToken({}, { issuer: 'https://idp.example' }),
        accessToken({}, { typ: 'JWT' }),
        unsignedAccessToken(),
      ];
      for (const token of wrong) {
        expectEnvelope(
          await call(gw.url, 'GET', '/api/v1/admin/users', { token }),
          401,
          ErrorCode.Unauthorized,
        );
      }
      const expired = accessToken({}, { expiresIn: -10 });
      expectEnvelope(
        await call(gw.url, 'GET', '/api/v1/admin/users', { token: expired }),
        401,
        ErrorCode.Unauthorized,
      );
    });

    it("refuses a revoked session's token at once with 401 session_ended", async () => {
      const sid = randomUUID();
      const token = accessToken({ sid });
      expect((await call(gw.url, 'GET', '/api/v1/admin/users', { token })).status).toBe(200);
      await redis.set(revokedSessionKey(redisPrefix(), sid), '1', 'EX', 60);
      expectEnvelope(
        await call(gw.url, 'GET', '/api/v1/admin/users', { token }),
        401,
        ErrorCode.SessionEnded,
      );
    });

    it('sends the access token, not a principal, to the services, and the tenant only from the token', async () => {
      const sub = randomUUID();
      const token = accessToken({ sub, tenant: 'N202400003', role: 'admin', sfa: 1_763_769_600 });
      const answer = await call(gw.url, 'GET', '/api/v1/admin/audit-events?type=auth.login.succeeded', {
        token,
      });
      expect(answer.status).toBe(200);
      const sent = services.last('audit-trail.events.query');
      expect(sent?.data).toEqual({ type: 'auth.login.succeeded', tenant: 'N202400003' });
      // The token itself travels, for the service to verify; RpcClient sends no principal.
      expect(sent?.ctx.accessToken).toBe(token);
      const smuggled = await call(gw.url, 'GET', '/api/v1/admin/audit-events?tenant=N999999999', { token });
      expectEnvelope(smuggled, 400, ErrorCode.ValidationFailed);
    });

    it('keeps operator routes to operators and admin routes to tenant admins', async () => {
      const operator = accessToken({ role: 'operator', tenant: null });
      const admin = accessToken({ role: 'admin', tenant: 'N202400003' });
      const plainUser = accessToken({ role: 'user', tenant: 'N202400003' });
      const noTenant = accessToken({ role: 'user', tenant: null });
      expect((await call(gw.url, 'GET', '/api/v1/ops/tenants', { token: operator })).status).toBe(200);
      expectEnvelope(
        await call(gw.url, 'GET', '/api/v1/ops/tenants', { token: admin }),
        403,
        ErrorCode.Forbidden,
      );
      expect((await call(gw.url, 'GET', '/api/v1/admin/users', { token: admin })).status).toBe(200);
      expectEnvelope(
        await call(gw.url, 'GET', '/api/v1/admin/users', { token: operator }),
        403,
        ErrorCode.Forbidden,
      );
      expectEnvelope(
        await call(gw.url, 'GET', '/api/v1/admin/users', { token: plainUser }),
        403,
        ErrorCode.Forbidden,
      );
      expectEnvelope(
        await call(gw.url, 'GET', '/api/v1/admin/users', { token: noTenant }),
        409,
        ErrorCode.TenantSelectionRequired,
      );
    });
  });

  describe('routes and status codes of API.md', () => {
    it('login passes the answer through and takes the trusted-browser token from the cookie', async () => {
      const answer = await call(gw.url, 'POST', '/api/v1/auth/login', {
        body: { userId: 'someone', password: 'pw' },
        headers: { cookie: 'mamori_device=device-from-cookie' },
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ status: 'second_factor_required', flowId: FLOW });
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(services.last('auth.login.password')?.data).toEqual({
        userId: 'someone',
        password: 'pw',
        deviceToken: 'device-from-cookie',
      });
      await call(gw.url, 'POST', '/api/v1/auth/login', {
        body: { userId: 'someone', password: 'pw', deviceToken: 'from-body' },
        headers: { cookie: 'mamori_device=c' },
      });
      expect(services.last('auth.login.password')?.data).toMatchObject({ deviceToken: 'from-body' });
    });

    it("maps the services' errors: 401, 423 with Retry-After, 503", async () => {
      expectEnvelope(
        await call(gw.url, 'POST', '/api/v1/auth/login', { body: { userId: 'wrong', password: 'pw' } }),
        401,
        ErrorCode.InvalidCredentials,
      );
      const locked = await call(gw.url, 'POST', '/api/v1/auth/login', {
        body: { userId: 'locked', password: 'pw' },
      });
      expectEnvelope(locked, 423, ErrorCode.AccountLocked);
      expect(locked.body.error.details).toEqual({ retryAfter: 1200 });
      expect(locked.headers.get('retry-after')).toBe('1200');
      expectEnvelope(
        await call(gw.url, 'POST', '/api/v1/auth/login', { body: { userId: 'down', password: 'pw' } }),
        503,
        ErrorCode.ServiceUnavailable,
      );
    });

    it('challenge → 202; verify → 200, with the httpOnly device cookie when a browser is trusted', async () => {
      const challenge = await call(gw.url, 'POST', `/api/v1/auth/login/${FLOW}/challenge`, {
        body: { method: 'email' },
      });
      expect(challenge.status).toBe(202);
      expect(services.last('auth.login.challenge')?.data).toEqual({ flowId: FLOW, method: 'email' });
      const plain = await call(gw.url, 'POST', `/api/v1/auth/login/${FLOW}/verify`, {
        body: { method: 'email', code: '123456' },
      });
      expect(plain.status).toBe(200);
      expect(plain.headers.get('set-cookie')).toBeNull();
      const trusted = await call(gw.url, 'POST', `/api/v1/auth/login/${FLOW}/verify`, {
        body: { method: 'email', code: '123456', trustBrowser: { name: 'Office' } },
      });
      expect(trusted.status).toBe(200);
      expect(trusted.body.deviceToken).toBe('device-token-1');
      const cookie = trusted.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^mamori_device=device-token-1;/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/);
      const behindTls = await call(gw.url, 'POST', `/api/v1/auth/login/${FLOW}/verify`, {
        body: { method: 'email', code: '123456', trustBrowser: { name: 'Office' } },
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(behindTls.headers.get('set-cookie')).toMatch(/Secure/);
    });

    it('refresh → 200; logout → 204 (authenticated); tenant → 200', async () => {
      expect(
        (await call(gw.url, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: 'r' } })).status,
      ).toBe(200);
      expectEnvelope(
        await call(gw.url, 'POST', '/api/v1/auth/logout', { body: {} }),
        401,
        ErrorCode.Unauthorized,
      );
      const token = accessToken();
      const logout = await call(gw.url, 'POST', '/api/v1/auth/logout', { body: { all: true }, token });
      expect(logout.status).toBe(204);
      expect(services.last('auth.logout')?.data).toEqual({ all: true });
      expect(
        (await call(gw.url, 'POST', '/api/v1/auth/tenant', { body: { tenant: 'N202400003' }, token })).status,
      ).toBe(200);
    });

    it('password policy 200, reset request 202 {"status":"accepted"}, inspect 200, complete 204', async () => {
      expect((await call(gw.url, 'GET', '/api/v1/auth/password-policy')).body.minLength).toBe(12);
      const request = await call(gw.url, 'POST', '/api/v1/auth/password-reset', {
        body: { userId: 'a', email: 'a@example.com' },
      });
      expect({ status: request.status, body: request.body }).toEqual({
        status: 202,
        body: { status: 'accepted' },
      });
      expect((await call(gw.url, 'GET', `/api/v1/auth/password-reset/${RESET_TOKEN}`)).body).toEqual({
        userId: 'admin@example.com',
        locked: false,
      });
      const complete = await call(gw.url, 'POST', `/api/v1/auth/password-reset/${RESET_TOKEN}`, {
        body: { newPassword: 'Qz7#abcdefgh!Wv' },
      });
      expect(complete.status).toBe(204);
      expect(services.last('auth.password_reset.complete')?.data).toEqual({
        token: RESET_TOKEN,
        newPassword: 'Qz7#abcdefgh!Wv',
      });
    });

    it('operators create tenants (201) and their admins (201, tenant from the path)', async () => {
      const operator = accessToken({ role: 'operator', tenant: null });
      const tenant = await call(gw.url, 'POST', '/api/v1/ops/tenants', {
        body: { number: 'N202400003', name: 'Example' },
        token: operator,
      });
      expect(tenant.status).toBe(201);
      const admin = await call(gw.url, 'POST', '/api/v1/ops/tenants/N202400003/users', {
        body: { userId: 'admin@example.com', email: 'admin@example.com', familyName: 'Yamada', admin: true },
        token: operator,
      });
      expect(admin.status).toBe(201);
      expect(services.last('auth.tenant.user.create')?.data).toMatchObject({
        tenant: 'N202400003',
        userId: 'admin@example.com',
        admin: true,
      });
    });

    it('admins unlock users (204); the dev outbox answers outside production', async () => {
      const id = randomUUID();
      expect(
        (await call(gw.url, 'POST', `/api/v1/admin/users/${id}/unlock`, { token: accessToken() })).status,
      ).toBe(204);
      expect(services.last('auth.admin.user.unlock')?.data).toEqual({ id });
      expect((await call(gw.url, 'GET', '/api/v1/dev/outbox', { ip: '127.0.0.1' })).status).toBe(200);
    });
  });

  describe('health, metrics and docs', () => {
    it('/health is up; /health/ready?scope=platform is 200 when Redis, NATS and every service answer up', async () => {
      expect((await call(gw.url, 'GET', '/health')).body).toEqual({ status: 'up' });
      const ready = await call(gw.url, 'GET', '/health/ready?scope=platform');
      expect(ready.status).toBe(200);
      expect(ready.body.checks).toEqual({
        redis: 'up',
        nats: 'up',
        auth: 'up',
        notification: 'up',
        'case-management': 'up',
        audit: 'up',
      });
    });

    it("a service down: the platform view is 503 with the report, the gateway's own readiness stays 200", async () => {
      services.on('audit-trail.health', () => ({
        service: 'audit',
        status: 'down',
        checks: { database: 'down' },
      }));
      try {
        // Past the second for which a platform answer is shared.
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        const platform = await call(gw.url, 'GET', '/health/ready?scope=platform');
        expect(platform.status).toBe(503);
        expect(platform.body.checks.audit).toBe('down');
        expect(platform.body.services.audit.checks).toEqual({ database: 'down' });
        const own = await call(gw.url, 'GET', '/health/ready');
        expect(own.status).toBe(200);
        expect(own.body.checks).toEqual({ redis: 'up', nats: 'up' });
      } finally {
        services.on('audit-trail.health', () => ({ service: 'audit', status: 'up', checks: {} }));
        await new Promise((resolve) => setTimeout(resolve, 1_100));
      }
    });

    it('/metrics, on the metrics port, has the HTTP duration histogram by route pattern', async () => {
      await call(gw.url, 'GET', `/api/v1/auth/password-reset/${RESET_TOKEN}`);
      const text = (await call(gw.metricsUrl, 'GET', '/metrics')).body as string;
      expect(text).toContain('mamori_http_request_duration_seconds_bucket');
      expect(text).toContain('route="/api/v1/auth/password-reset/:token"');
      expect(text).not.toContain(RESET_TOKEN);
    });

    it('/metrics is not on the public port: 404 there, with or without a prefix', async () => {
      for (const path of ['/metrics', '/api/v1/metrics']) {
        const answer = await call(gw.url, 'GET', path);
        expectEnvelope(answer, 404, ErrorCode.NotFound);
        expect(JSON.stringify(answer.body)).not.toContain('mamori_http_request_duration_seconds');
      }
      expect((await call(gw.metricsUrl, 'GET', '/api/v1/auth/password-policy')).status).toBe(404);
    });

    it("serves auth's public keys at /.well-known/jwks.json, outside /api/v1, without any private part", async () => {
      const answer = await call(gw.url, 'GET', '/.well-known/jwks.json');
      expect(answer.status).toBe(200);
      expect(answer.headers.get('cache-control')).toBe('public, max-age=300');
      const [key] = runSigningKeys();
      expect(answer.body).toEqual({ keys: [key.publicJwk] });
      expect(JSON.stringify(answer.body)).not.toContain('"d"');
      expect((await call(gw.url, 'GET', '/api/v1/.well-known/jwks.json')).status).toBe(404);
    });

    it('publishes OpenAPI at /api/docs-json and Swagger UI at /api/docs', async () => {
      const doc = await call(gw.url, 'GET', '/api/docs-json');
      expect(doc.status).toBe(200);
      expect(Object.keys(doc.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/auth/login',
          '/api/v1/ops/tenants/{number}/users',
          '/api/v1/admin/audit-events',
          '/.well-known/jwks.json',
        ]),
      );
      const ui = await call(gw.url, 'GET', '/api/docs');
      expect(ui.status).toBe(200);
      expect(String(ui.body)).toContain('swagger');
    });
  });
});
