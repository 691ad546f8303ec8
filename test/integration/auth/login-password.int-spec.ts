import { AuthenticatedResult, SecondFactorRequiredResult } from '@app/contracts';
import { randomId, verifyRunAccessToken } from '@app/testing';
import { AuthHealthController } from '@app/auth/health/auth-health.controller';
import { LoginController } from '@app/auth/login-flow/login.controller';
import { AuthTestApp } from './auth-test-app';

/** The password step: who owes a second step (AUTH-5), disabled logins (AUTH-4), the first tokens (AUTH-15, AUTH-18). */
describe('login with a password', () => {
  let t: AuthTestApp;
  let controller: LoginController;

  beforeAll(async () => {
    t = await AuthTestApp.create();
    controller = t.get(LoginController);
  });
  afterAll(async () => {
    await t.close();
  });

  const login = (userId: string, password: string) =>
    t.call((ctx) => controller.password({ ctx, data: { userId, password } }));
  const claims = (token: string) => verifyRunAccessToken(token, t.clock.now());

  it('gives a user of one tenant without MFA tokens for that tenant at once', async () => {
    const tenant = await t.newTenant({ name: 'Example Corp' });
    const user = await t.newUser({ tenant, role: 'user' });

    const res = await login(`  ${user.userId.toUpperCase()} `, user.password!);

    expect(res.ok).toBe(true);
    const body = (res as { value: AuthenticatedResult }).value;
    expect(body).toMatchObject({
      status: 'authenticated',
      expiresIn: 900,
      activeTenant: tenant.number,
      tenants: [{ number: tenant.number, name: 'Example Corp', role: 'user' }],
    });
    const c = claims(body.accessToken);
    expect(c).toMatchObject({ sub: user.id, tenant: tenant.number, role: 'user', sfa: null });
    expect(c.exp - c.iat).toBe(900);
    expect(body.refreshToken.startsWith(`${c.sid}.`)).toBe(true);
    const [session] = await t.dataSource.query(
      `SELECT active_tenant, second_factor_at, revoked_at FROM auth.session WHERE id = $1`,
      [c.sid],
    );
    expect(session).toEqual({ active_tenant: tenant.number, second_factor_at: null, revoked_at: null });
    // Only the HMAC of the refresh token is stored.
    const stored = await t.dataSource.query(
      `SELECT token_hmac FROM auth.refresh_token WHERE session_id = $1`,
      [c.sid],
    );
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(body.refreshToken.split('.')[1]);
  });

  it('leaves the tenant to pick for a user of several tenants (AUTH-18)', async () => {
    const a = await t.newTenant();
    const b = await t.newTenant();
    const user = await t.newUser({
      tenants: [
        { tenant: a, role: 'user' },
        { tenant: b, role: 'user' },
      ],
    });
    const res = await login(user.userId, user.password!);
    expect(res).toMatchObject({ ok: true, value: { status: 'authenticated', activeTenant: null } });
    const body = (res as { value: AuthenticatedResult }).value;
    expect(body.tenants.map((x) => x.number).sort()).toEqual([a.number, b.number].sort());
    expect(claims(body.accessToken)).toMatchObject({ tenant: null, role: 'user' });
  });

  it.each([
    ['a tenant admin', { role: 'admin' as const }, ['tenant_admin']],
    ['a user with MFA on', { mfaRequired: true }, ['user_mfa']],
    ['a user of a tenant whose policy is "always"', { mfaAlways: true }, ['tenant_policy']],
    ['an operator', { isOperator: true, noTenant: true }, ['operator']],
  ])('asks %s for a second step (AUTH-5)', async (_who, opts, reasons) => {
    const o = opts as {
      role?: 'admin';
      mfaRequired?: boolean;
      mfaAlways?: boolean;
      isOperator?: boolean;
      noTenant?: boolean;
    };
    const tenant = await t.newTenant({ mfaAlways: o.mfaAlways });
    const user = await t.newUser({
      phone: '+819012345678',
      mfaRequired: o.mfaRequired,
      operator: o.isOperator,
      ...(o.noTenant ? {} : { tenant, role: o.role ?? 'user' }),
    });
    const requestId = `policy-${randomId(8)}`;
    const res = await t.call(
      (ctx) => controller.password({ ctx, data: { userId: user.userId, password: user.password! } }),
      { requestId },
    );

    expect(res.ok).toBe(true);
    const body = (res as { value: SecondFactorRequiredResult }).value;
    expect(body.status).toBe('second_factor_required');
    expect(new Date(body.expiresAt).getTime()).toBe(t.clock.now().getTime() + 15 * 60 * 1000);
    const localPart = user.email.split('@')[0];
    expect(body.methods).toEqual([
      { type: 'sms', destination: '+81******5678', default: true },
      { type: 'email', destination: `${localPart[0]}***@example.com`, default: false },
    ]);
    // No session yet: only a pending flow.
    expect(await t.dataSource.query(`SELECT 1 FROM auth.session WHERE user_id = $1`, [user.id])).toHaveLength(
      0,
    );
    const [flow] = await t.dataSource.query(
      `SELECT user_id, status, purpose FROM auth.login_flow WHERE id = $1`,
      [body.flowId],
    );
    expect(flow).toEqual({ user_id: user.id, status: 'pending', purpose: 'login' });

    const events = await t.auditEvents({ correlationId: requestId });
    expect(events.find((e) => e.type === 'auth.login.second_factor_required')?.reasons).toEqual(reasons);
  });

  it('offers e-mail as the default when no phone is registered', async () => {
    const user = await t.newUser({ mfaRequired: true });
    const res = await login(user.userId, user.password!);
    expect((res as { value: SecondFactorRequiredResult }).value.methods).toEqual([
      { type: 'email', destination: expect.stringMatching(/^m\*\*\*@example\.com$/), default: true },
    ]);
  });

  it('answers login_disabled only after the right password (AUTH-4)', async () => {
    const user = await t.newUser({ loginDisabled: true });
    expect(await login(user.userId, 'Wrong-password-1!')).toEqual({
      ok: false,
      status: 401,
      body: { code: 'invalid_credentials' },
    });
    expect(await login(user.userId, user.password!)).toEqual({
      ok: false,
      status: 403,
      body: { code: 'login_disabled' },
    });
  });

  it('refuses an account that has no password yet like a wrong password (AUTH-14)', async () => {
    const user = await t.newUser({ password: null });
    expect(await login(user.userId, 'Any-password-1!')).toEqual({
      ok: false,
      status: 401,
      body: { code: 'invalid_credentials' },
    });
  });

  it('accepts a trusted-browser token and ignores it for now', async () => {
    const user = await t.newUser();
    const res = await t.call((ctx) =>
      controller.password({
        ctx,
        data: { userId: user.userId, password: user.password!, deviceToken: 'x'.repeat(40) },
      }),
    );
    expect(res).toMatchObject({
      ok: true,
      value: { status: 'authenticated', activeTenant: null, tenants: [] },
    });
  });

  it('answers auth.health with the database and Redis checks', async () => {
    const res = await t.call((ctx) => t.get(AuthHealthController).health({ ctx, data: {} }));
    expect(res).toEqual({
      ok: true,
      value: { service: 'auth', status: 'up', checks: { database: 'up', redis: 'up' } },
    });
  });
});
