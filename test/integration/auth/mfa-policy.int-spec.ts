import { LoginResult } from '@app/contracts';
import { expectStatus } from '@app/testing';
import { AuthGateway } from './auth-gateway';
import { TenantFixture, UserFixture } from './auth-test-app';

const OFFICE = {
  ip: '203.0.113.80',
  userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/121.0 Safari/537.36',
};

/** AUTH-5: when the password step asks for a second step — the policy levels. */
describe('second-step policy levels (AUTH-5), through the gateway', () => {
  let platform: AuthGateway;

  beforeAll(async () => {
    platform = await AuthGateway.create();
  });
  afterAll(async () => {
    await platform.close();
  });

  const reasonsOf = (result: LoginResult) =>
    result.status === 'second_factor_required' ? (result.reasons ?? []) : [];

  async function adminOf(tenant: TenantFixture): Promise<{ admin: UserFixture; accessToken: string }> {
    const admin = await platform.auth.newUser({ tenant, role: 'admin' });
    return { admin, accessToken: (await platform.login(admin, OFFICE)).accessToken };
  }

  async function setPolicy(accessToken: string, body: object) {
    const answer = await platform.api('PUT', '/admin/security-policy', { body, token: accessToken });
    expectStatus(answer, 200);
    return answer.body as { mfaAlways: boolean; trustedBrowserDays: number | null };
  }

  it('lets a user with no reason for a second step straight in', async () => {
    const user = await platform.auth.newUser({ tenant: await platform.auth.newTenant() });
    const result = await platform.passwordStep(user, OFFICE);
    expect(result.status).toBe('authenticated');
    expect(
      await platform.auth.auditEvents({ actorUserId: user.id, type: 'auth.login.second_factor_required' }),
    ).toEqual([]);
  });

  it('asks a user who has MFA on', async () => {
    const user = await platform.auth.newUser({ tenant: await platform.auth.newTenant(), mfaRequired: true });
    const result = await platform.passwordStep(user, OFFICE);
    expect(result.status).toBe('second_factor_required');
    expect(reasonsOf(result)).toContain('user_mfa');
  });

  it('always asks operators and tenant admins, whatever their own flag', async () => {
    const operator = await platform.auth.newUser({ operator: true });
    const asOperator = await platform.passwordStep(operator, OFFICE);
    expect(asOperator.status).toBe('second_factor_required');
    expect(reasonsOf(asOperator)).toContain('operator');

    // An admin of one tenant is asked even when a plain user in another.
    const admin = await platform.auth.newUser({
      tenants: [
        { tenant: await platform.auth.newTenant(), role: 'user' },
        { tenant: await platform.auth.newTenant(), role: 'admin' },
      ],
    });
    const asAdmin = await platform.passwordStep(admin, OFFICE);
    expect(asAdmin.status).toBe('second_factor_required');
    expect(reasonsOf(asAdmin)).toContain('tenant_admin');
  });

  it('asks every user of a tenant whose admin set "always", and only that tenant', async () => {
    const strict = await platform.auth.newTenant();
    const relaxed = await platform.auth.newTenant();
    const { admin, accessToken } = await adminOf(strict);
    const alice = await platform.auth.newUser({ tenant: strict });
    const bob = await platform.auth.newUser({ tenant: strict });
    const carol = await platform.auth.newUser({ tenant: relaxed });
    const dave = await platform.auth.newUser({
      tenants: [
        { tenant: relaxed, role: 'user' },
        { tenant: strict, role: 'user' },
      ],
    });
    expect((await platform.passwordStep(alice, OFFICE)).status).toBe('authenticated');

    expect(await setPolicy(accessToken, { mfaAlways: true })).toEqual({
      mfaAlways: true,
      trustedBrowserDays: null,
    });
    const got = await platform.api('GET', '/admin/security-policy', { token: accessToken });
    expectStatus(got, 200);
    expect(got.body).toEqual({ mfaAlways: true, trustedBrowserDays: null });

    for (const user of [alice, bob, dave]) {
      const result = await platform.passwordStep(user, OFFICE);
      expect(result.status).toBe('second_factor_required');
      expect(reasonsOf(result)).toContain('tenant_policy');
    }
    expect((await platform.passwordStep(carol, OFFICE)).status).toBe('authenticated');
    expect(
      await platform.auth.auditEvents({ actorUserId: admin.id, type: 'auth.tenant.security_policy_updated' }),
    ).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ userId: admin.id, tenant: strict.number }),
        target: { type: 'tenant', id: strict.number },
        reasons: ['mfa_always_on'],
        tenants: [strict.number],
      }),
    ]);

    // Switched off again: straight in.
    await setPolicy(accessToken, { mfaAlways: false });
    expect((await platform.passwordStep(alice, OFFICE)).status).toBe('authenticated');
  });

  it('lets a trusted browser skip what the policy asks, for tenant admins too', async () => {
    const tenant = await platform.auth.newTenant();
    const admin = await platform.auth.newUser({ tenant, role: 'admin' });
    const { deviceToken } = await platform.login(admin, { ...OFFICE, trustBrowser: 'Admin desk' });
    expect((await platform.passwordStep(admin, { ...OFFICE, deviceToken })).status).toBe('authenticated');
    expect((await platform.passwordStep(admin, OFFICE)).status).toBe('second_factor_required');
  });

  it("lets only the tenant's admins change the policy, after a recent second step, with valid values", async () => {
    const tenant = await platform.auth.newTenant();
    const { admin, accessToken } = await adminOf(tenant);
    const user = await platform.auth.newUser({ tenant });
    const userTokens = await platform.login(user, OFFICE);

    const asUser = await platform.api('PUT', '/admin/security-policy', {
      body: { mfaAlways: true },
      token: userTokens.accessToken,
    });
    expect(asUser.status).toBe(403);
    expect(asUser.body.error.code).toBe('forbidden');
    expect(
      (await platform.api('GET', '/admin/security-policy', { token: userTokens.accessToken })).status,
    ).toBe(403);

    for (const trustedBrowserDays of [0, 91, 1.5, 'thirty']) {
      const bad = await platform.api('PUT', '/admin/security-policy', {
        body: { trustedBrowserDays },
        token: accessToken,
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('validation_failed');
    }

    platform.staleSecondStep();
    const refused = await platform.api('PUT', '/admin/security-policy', {
      body: { mfaAlways: true, trustedBrowserDays: 90 },
      token: accessToken,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('step_up_required');
    // Nothing changed without the step-up.
    expect((await platform.passwordStep(user, OFFICE)).status).toBe('authenticated');

    const fresh = await platform.stepUp(admin, refused);
    expect(await setPolicy(fresh.accessToken, { mfaAlways: true, trustedBrowserDays: 90 })).toEqual({
      mfaAlways: true,
      trustedBrowserDays: 90,
    });
    // Absent fields stay as they are; null restores the default.
    expect(await setPolicy(fresh.accessToken, { trustedBrowserDays: null })).toEqual({
      mfaAlways: true,
      trustedBrowserDays: null,
    });
    expect((await platform.passwordStep(user, OFFICE)).status).toBe('second_factor_required');
  });
});
