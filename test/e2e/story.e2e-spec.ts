import {
  ApiClient,
  extractCode,
  randomSuffix,
  SmtpSink,
  startPlatform,
  strongPassword,
  waitFor,
  WebhookSink,
} from '@app/testing';
import { createOperator, loginWithEmailCode, loginWithSmsCode } from './support/story-helpers';

/**
 * The first story of issue 2, end to end through the gateway, with two replicas of auth and of
 * notification: an operator is created by the CLI, logs in with an e-mail code, creates a tenant and
 * its representative admin; the admin sets a password through the reset flow, logs in with an SMS
 * code and gets tokens; every step lands in the audit trail. Codes and links are read only from what
 * the local SMTP server and SMS webhook received.
 */
describe('the first story, end to end', () => {
  const smtp = new SmtpSink();
  const sms = new WebhookSink();
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let api: ApiClient;

  const suffix = randomSuffix();
  const operator = {
    userId: `ops-${suffix}`,
    email: `ops-${suffix}@provider.example`,
    password: strongPassword(),
  };
  const tenant = {
    number: `N2024${suffix
      .slice(0, 5)
      .toUpperCase()
      .replace(/[^0-9A-Z]/g, '0')}`,
    name: `Example Corp ${suffix}`,
  };
  const admin = {
    userId: `admin-${suffix}@customer.example.fm`,
    email: `admin-${suffix}@customer.example`,
    phone: `+8190${String(Date.now()).slice(-8)}`,
    password: strongPassword(),
  };

  beforeAll(async () => {
    const [mail, hook] = await Promise.all([smtp.start(), sms.start()]);
    platform = await startPlatform({
      instances: { auth: 2, notification: 2 },
      env: {
        SMTP_URL: mail.url,
        SMTP_REQUIRE_TLS: 'false',
        SMS_PROVIDER: 'webhook',
        SMS_WEBHOOK_URL: hook.url,
        PUBLIC_URL: 'https://portal.example',
      },
    });
    api = new ApiClient(platform.baseUrl);
  });

  afterAll(async () => {
    await platform?.stop();
    await Promise.all([smtp.stop(), sms.stop()]);
  });

  let operatorApi: ApiClient;
  let adminTokens: any;

  it('creates the first operator from the CLI', async () => {
    const out = await createOperator(operator.userId, operator.email, operator.password);
    expect(out).toContain(operator.userId);
    expect(out).not.toContain(operator.password);
  });

  it('logs the operator in with a code by e-mail, always', async () => {
    const tokens = await loginWithEmailCode(api, smtp, operator.userId, operator.email, operator.password);
    expect(tokens.activeTenant).toBeNull();
    expect(tokens.tenants).toEqual([]);
    operatorApi = api.withToken(tokens.accessToken);
  });

  it('lets the operator create a tenant and its representative admin', async () => {
    const created = await operatorApi.post('/ops/tenants', tenant);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject(tenant);

    const duplicate = await operatorApi.post('/ops/tenants', tenant);
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('tenant_exists');

    const user = await operatorApi.post(`/ops/tenants/${tenant.number}/users`, {
      userId: admin.userId,
      email: admin.email,
      familyName: '山田',
      givenName: '花子',
      phone: admin.phone,
      language: 'ja',
      admin: true,
    });
    expect(user.status).toBe(201);
    expect(user.body).toMatchObject({ userId: admin.userId, admin: true });

    const listed = await operatorApi.get('/ops/tenants');
    expect(listed.status).toBe(200);
    expect(listed.body.map((t: any) => t.number)).toContain(tenant.number);
  });

  it('refuses the admin a login before a password is set', async () => {
    const res = await api.post('/auth/login', { userId: admin.userId, password: admin.password });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_credentials');
  });

  it('lets the admin set a password through the reset flow', async () => {
    const wrong = await api.post('/auth/password-reset', {
      userId: admin.userId,
      email: 'someone-else@customer.example',
    });
    const right = await api.post('/auth/password-reset', { userId: admin.userId, email: admin.email });
    expect(wrong.status).toBe(202);
    expect(right.status).toBe(202);
    expect(wrong.body).toEqual({ status: 'accepted' });
    expect(right.body).toEqual(wrong.body);

    const mail = await smtp.waitFor(
      (m) => m.to.includes(admin.email) && (m.text ?? '').includes('/password-reset/'),
    );
    const token = /https:\/\/portal\.example\/password-reset\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1];
    expect(token).toBeDefined();
    smtp.clear();

    const inspected = await api.get(`/auth/password-reset/${token}`);
    expect(inspected.status).toBe(200);
    expect(inspected.body).toEqual({ userId: admin.userId, locked: false });

    const weak = await api.post(`/auth/password-reset/${token}`, { newPassword: 'short' });
    expect(weak.status).toBe(422);
    expect(weak.body.error.code).toBe('password_policy');
    expect(weak.body.error.details.violations).toEqual(expect.arrayContaining(['min_length']));

    const done = await api.post(`/auth/password-reset/${token}`, { newPassword: admin.password });
    expect(done.status).toBe(204);

    const again = await api.post(`/auth/password-reset/${token}`, { newPassword: strongPassword() });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('reset_token_invalid');
  });

  it('logs the admin in with a code by SMS, the default channel when a phone is registered', async () => {
    const first = await api.post('/auth/login', { userId: admin.userId, password: admin.password });
    expect(first.body.status).toBe('second_factor_required');
    expect(first.body.methods).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'sms', default: true }),
        expect.objectContaining({ type: 'email' }),
      ]),
    );
    // The ID is matched case-insensitively and trimmed (AUTH-1).
    adminTokens = await loginWithSmsCode(
      api,
      sms,
      `  ${admin.userId.toUpperCase()} `,
      admin.phone,
      admin.password,
    );
    expect(adminTokens.activeTenant).toBe(tenant.number);
    expect(adminTokens.tenants).toEqual([{ number: tenant.number, name: tenant.name, role: 'admin' }]);
    expect(adminTokens.expiresIn).toBe(900);
  });

  it('lets the admin list the tenant users and unlock a locked one', async () => {
    const adminApi = api.withToken(adminTokens.accessToken);
    const users = await adminApi.get('/admin/users');
    expect(users.status).toBe(200);
    const me = users.body.find((u: any) => u.userId === admin.userId);
    expect(me).toBeDefined();

    for (let i = 0; i < 5; i++) {
      await api.post('/auth/login', { userId: admin.userId, password: 'Wrong-password-1' });
    }
    const locked = await api.post('/auth/login', { userId: admin.userId, password: admin.password });
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe('account_locked');
    expect(locked.body.error.details.retryAfter).toBeGreaterThan(0);

    const unlocked = await adminApi.post(`/admin/users/${me.id}/unlock`);
    expect(unlocked.status).toBe(204);
    const after = await api.post('/auth/login', { userId: admin.userId, password: admin.password });
    expect(after.status).toBe(200);
    expect(after.body.status).toBe('second_factor_required');

    const operatorAsAdmin = await operatorApi.get('/admin/users');
    expect(operatorAsAdmin.status).toBeGreaterThanOrEqual(403);
  });

  it('rotates refresh tokens and ends the session when an old one is reused', async () => {
    const rotated = await api.post('/auth/refresh', { refreshToken: adminTokens.refreshToken });
    expect(rotated.status).toBe(200);
    expect(rotated.body.refreshToken).not.toBe(adminTokens.refreshToken);
    // The session moves on: from here a use of the first token cannot be the client racing itself.
    const moved = await api.post('/auth/refresh', { refreshToken: rotated.body.refreshToken });
    expect(moved.status).toBe(200);

    const reused = await api.post('/auth/refresh', { refreshToken: adminTokens.refreshToken });
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('refresh_token_reused');

    const newest = await api.post('/auth/refresh', { refreshToken: moved.body.refreshToken });
    expect(newest.status).toBe(401);
    const access = await api.withToken(moved.body.accessToken).get('/admin/users');
    expect(access.status).toBe(401);
  });

  it('ends the session on logout and refuses its access token at once', async () => {
    const tokens = await loginWithSmsCode(api, sms, admin.userId, admin.phone, admin.password);
    const adminApi = api.withToken(tokens.accessToken);
    expect((await adminApi.get('/admin/users')).status).toBe(200);
    expect((await adminApi.post('/auth/logout', {})).status).toBe(204);
    const started = Date.now();
    await waitFor(async () => (await adminApi.get('/admin/users')).status === 401, {
      timeoutMs: 2000,
      intervalMs: 50,
    });
    expect(Date.now() - started).toBeLessThan(2000);
    adminTokens = await loginWithSmsCode(api, sms, admin.userId, admin.phone, admin.password);
  });

  it('writes every step to the tenant audit trail, without secrets', async () => {
    const adminApi = api.withToken(adminTokens.accessToken);
    const wanted = [
      'auth.user.created',
      'auth.password_reset.completed',
      'auth.second_factor.succeeded',
      'auth.session.started',
      'auth.login.locked_out',
      'auth.account.unlocked',
      'auth.session.refresh_reused',
    ];
    let events: any[] = [];
    await waitFor(
      async () => {
        const res = await adminApi.get('/admin/audit-events');
        events = res.status === 200 ? res.body : [];
        const types = new Set(events.map((e) => e.type));
        return wanted.every((t) => types.has(t));
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    const ids = events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const dump = JSON.stringify(events);
    expect(dump).not.toContain(admin.password);
    expect(dump).not.toContain(admin.email);
    expect(dump).not.toContain(admin.phone);
    expect(dump).not.toContain(adminTokens.refreshToken);
    for (const e of events) {
      expect(e.correlationId).toEqual(expect.any(String));
      expect(e.tenants).toContain(tenant.number);
    }

    const filtered = await adminApi.get('/admin/audit-events?type=auth.session.started');
    expect(filtered.status).toBe(200);
    expect(filtered.body.length).toBeGreaterThan(0);
    expect(filtered.body.every((e: any) => e.type === 'auth.session.started')).toBe(true);
  });

  it('carries the request id from the gateway into the audit events', async () => {
    const requestId = `story-${randomSuffix()}`;
    await api.post(
      '/auth/login',
      { userId: admin.userId, password: 'Wrong-password-2' },
      { 'x-request-id': requestId },
    );
    const adminApi = api.withToken(adminTokens.accessToken);
    await waitFor(
      async () => {
        const res = await adminApi.get('/admin/audit-events?type=auth.login.failed');
        return res.status === 200 && res.body.some((e: any) => e.correlationId === requestId);
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
  });

  it('sends a code that is the only 6-digit run of the message', async () => {
    smtp.clear();
    const first = await api.post('/auth/login', { userId: admin.userId, password: admin.password });
    await api.post(`/auth/login/${first.body.flowId}/challenge`, { method: 'email' });
    const mail = await smtp.waitFor((m) => m.to.includes(admin.email) && /\d{6}/.test(m.text ?? ''));
    expect(() => extractCode(`${mail.subject ?? ''}\n${mail.text ?? ''}`)).not.toThrow();
    smtp.clear();
  });
});
