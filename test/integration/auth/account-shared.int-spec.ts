import { SecondFactorRequiredResult } from '@app/contracts';
import { errorCode, expectStatus, randomId } from '@app/testing';
import { Membership } from '@app/auth/tenants/membership.entity';
import { User } from '@app/auth/users/user.entity';
import { AuditCapture, adminSession, AdminSession } from './admin-harness';
import { AuthGateway } from './auth-gateway';
import { TenantFixture, UserFixture } from './auth-test-app';

/**
 * An account that belongs to several tenants is guarded by no single tenant's admin: the fields
 * that decide who can log in to it (login ID, e-mail, phone, MFA, disabled login, the address its
 * codes go to) are changed only by an admin of every tenant it is in, or by an operator. Driven as
 * the attack would be: through the gateway, with an operator adding the user to a second tenant.
 */
describe('Accounts shared by tenants, through the gateway', () => {
  let platform: AuthGateway;
  let audit: AuditCapture;
  let operatorToken: string;

  beforeAll(async () => {
    platform = await AuthGateway.create();
    audit = await AuditCapture.start(platform);
    const operator = await platform.auth.newUser({ operator: true });
    operatorToken = (await platform.login(operator)).accessToken;
  });
  afterAll(async () => {
    await audit?.stop();
    await platform.close();
  });

  const stored = (id: string) => platform.auth.dataSource.getRepository(User).findOneByOrFail({ id });
  const membership = (userId: string, tenantNumber: string) =>
    platform.auth.dataSource.getRepository(Membership).findOneByOrFail({ userId, tenantNumber });
  const as = (s: AdminSession) => ({
    post: (path: string, body?: unknown) => platform.api('POST', path, { token: s.token, body }),
    patch: (path: string, body: unknown) => platform.api('PATCH', path, { token: s.token, body }),
    put: (path: string, body: unknown) => platform.api('PUT', path, { token: s.token, body }),
  });
  /** Every message queued on either channel to `address` (an e-mail address or a phone number). */
  const messagesTo = async (address: string) => [
    ...(await platform.auth.queued('email', { to: address })),
    ...(await platform.auth.queued('sms', { to: address })),
  ];

  /** A user of `home` (admin `session`) whom an operator also added to a second tenant. */
  async function sharedUser(session: AdminSession): Promise<{ user: UserFixture; other: TenantFixture }> {
    const other = await platform.auth.newTenant();
    const user = await platform.auth.newUser({
      tenant: session.tenant,
      role: 'user',
      mfaRequired: true,
      phone: `+8190${Math.floor(10_000_000 + Math.random() * 89_999_999)}`,
    });
    expectStatus(
      await platform.api('POST', `/ops/tenants/${other.number}/members`, {
        token: operatorToken,
        body: { userId: user.userId },
      }),
      201,
    );
    return { user, other };
  }

  it("refuses A's admin every account-wide change of a user also in B: 409 account_shared, nothing changed, nothing sent to the attacker", async () => {
    const a = await adminSession(platform);
    const { user, other } = await sharedUser(a);
    const before = await stored(user.id);
    const attackerMail = `attacker-${randomId(8)}@evil.example`;
    const attackerPhone = '+819099999999';

    const attempts = [
      await as(a).patch(`/admin/users/${user.id}`, { email: attackerMail }),
      await as(a).patch(`/admin/users/${user.id}`, { phone: attackerPhone }),
      await as(a).patch(`/admin/users/${user.id}`, { phone: null }),
      await as(a).patch(`/admin/users/${user.id}`, { mfaRequired: !before.mfaRequired }),
      // Mixed with a profile field: refused whole, the title stays too.
      await as(a).patch(`/admin/users/${user.id}`, { title: 'Taken over', email: attackerMail }),
      await as(a).put(`/admin/users/${user.id}/notification-email`, { email: attackerMail }),
      await as(a).put(`/admin/users/${user.id}/user-id`, { userId: `taken-${randomId(6)}` }),
      await as(a).post(`/admin/users/${user.id}/disable`),
      await as(a).post(`/admin/users/${user.id}/enable`),
    ];
    for (const answer of attempts) {
      expect(answer.status).toBe(409);
      expect(errorCode(answer)).toBe('account_shared');
    }
    const after = await stored(user.id);
    expect(after).toMatchObject({
      email: before.email,
      phone: before.phone,
      userId: before.userId,
      mfaRequired: before.mfaRequired,
      loginDisabled: false,
      title: before.title,
    });
    expect((await membership(user.id, a.tenant.number)).notificationEmail).toBeNull();
    expect(await audit.events({ targetId: user.id, type: 'auth.user.updated' })).toEqual([]);

    // The rest of the attack goes nowhere: a reset to the attacker's address sends no link, and
    // the user's own login and a step-up in either tenant send their codes to the user.
    expectStatus(
      await platform.api('POST', '/auth/password-reset', {
        body: { userId: user.userId, email: attackerMail },
      }),
      202,
    );
    const tokens = await platform.login(user, { method: 'email' });
    expect(tokens.activeTenant).toBeNull();
    for (const tenant of [a.tenant.number, other.number]) {
      const picked = await platform.api('POST', '/auth/tenant', {
        token: tokens.accessToken,
        body: { tenant },
      });
      expectStatus(picked, 200);
      platform.staleSecondStep();
      const refused = await platform.api('PATCH', '/me', {
        token: picked.body.accessToken,
        body: { email: `new-${randomId(6)}@example.org` },
      });
      expect(errorCode(refused)).toBe('step_up_required');
      expectStatus(
        await platform.api('POST', `/auth/login/${refused.body.error.details.flowId}/challenge`, {
          body: { method: 'email' },
        }),
        202,
      );
    }
    expect(await messagesTo(attackerMail)).toEqual([]);
    expect(await messagesTo(attackerPhone)).toEqual([]);
    const codes = await platform.auth.queued('email', { userId: user.id, template: 'security-code' });
    expect(codes.length).toBe(3);
    expect(codes.every((job) => job.to.length === 1 && job.to[0] === user.email)).toBe(true);
  });

  it('lets A edit the profile fields of a shared user (name, title), which open no login', async () => {
    const a = await adminSession(platform);
    const { user } = await sharedUser(a);
    const answer = await as(a).patch(`/admin/users/${user.id}`, { title: 'Manager', familyName: 'Sato' });
    expectStatus(answer, 200);
    expect(await stored(user.id)).toMatchObject({ title: 'Manager', familyName: 'Sato' });
  });

  it('lets an admin of every tenant of the user make account-wide changes', async () => {
    const a = await adminSession(platform);
    const { user, other } = await sharedUser(a);
    await platform.auth.dataSource
      .getRepository(Membership)
      .insert({ userId: a.admin.id, tenantNumber: other.number, role: 'admin', notificationEmail: null });
    const email = `moved-${randomId(8)}@example.org`;
    expectStatus(await as(a).patch(`/admin/users/${user.id}`, { email }), 200);
    expect((await stored(user.id)).email).toBe(email);
  });

  it('lets the admin of the only tenant edit, and tells the old address and the old number in the user language', async () => {
    const a = await adminSession(platform);
    // A number of this test's own: the run's queue is shared by every file.
    const oldPhone = `+8190${Math.floor(10_000_000 + Math.random() * 89_999_999)}`;
    const user = await platform.auth.newUser({
      tenant: a.tenant,
      role: 'user',
      phone: oldPhone,
      language: 'ja',
    });
    const email = `new-${randomId(8)}@example.org`;
    const phone = '+819033334444';

    expectStatus(await as(a).patch(`/admin/users/${user.id}`, { email, phone }), 200);
    expect(await stored(user.id)).toMatchObject({ email, phone });
    const mail = await platform.auth.queued('email', { to: user.email, template: 'contact-changed' });
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ language: 'ja', params: { field: 'email' }, userId: user.id });
    const sms = await platform.auth.queued('sms', { to: oldPhone, template: 'contact-changed' });
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ language: 'ja', params: { field: 'phone' } });
    // Nothing about it at the new contacts: the notice is for whoever held the old ones.
    expect(await platform.auth.queued('email', { to: email, template: 'contact-changed' })).toEqual([]);

    const desk = `desk-${randomId(8)}@example.org`;
    expectStatus(await as(a).put(`/admin/users/${user.id}/notification-email`, { email: desk }), 200);
    expect((await membership(user.id, a.tenant.number)).notificationEmail).toBe(desk);
    expectStatus(await as(a).post(`/admin/users/${user.id}/disable`), 204);
  });

  it("sends a tenant's notification address only the codes of logins and step-ups in that tenant", async () => {
    const a = await adminSession(platform);
    const user = await platform.auth.newUser({ tenant: a.tenant, role: 'user', mfaRequired: true });
    const desk = `desk-${randomId(8)}@example.org`;
    // Set while the user was only A's; then an operator adds them to B.
    expectStatus(await as(a).put(`/admin/users/${user.id}/notification-email`, { email: desk }), 200);
    const single = (await platform.passwordStep(user)) as SecondFactorRequiredResult;
    expectStatus(
      await platform.api('POST', `/auth/login/${single.flowId}/challenge`, { body: { method: 'email' } }),
      202,
    );
    expect((await platform.auth.queued('email', { to: desk, template: 'security-code' })).length).toBe(1);

    const other = await platform.auth.newTenant();
    expectStatus(
      await platform.api('POST', `/ops/tenants/${other.number}/members`, {
        token: operatorToken,
        body: { userId: user.userId },
      }),
      201,
    );
    // A login before a tenant is chosen: the account's own address.
    const tokens = await platform.login(user, { method: 'email' });
    expect(
      (await platform.auth.queued('email', { userId: user.id, template: 'security-code' })).at(-1)?.to,
    ).toEqual([user.email]);
    const stepUpTo = async (tenant: string): Promise<string[]> => {
      const picked = await platform.api('POST', '/auth/tenant', {
        token: tokens.accessToken,
        body: { tenant },
      });
      expectStatus(picked, 200);
      platform.staleSecondStep();
      const refused = await platform.api('PATCH', '/me', {
        token: picked.body.accessToken,
        body: { email: `x-${randomId(6)}@example.org` },
      });
      expect(errorCode(refused)).toBe('step_up_required');
      expectStatus(
        await platform.api('POST', `/auth/login/${refused.body.error.details.flowId}/challenge`, {
          body: { method: 'email' },
        }),
        202,
      );
      const jobs = await platform.auth.queued('email', { userId: user.id, template: 'security-code' });
      return jobs[jobs.length - 1].to;
    };
    expect(await stepUpTo(a.tenant.number)).toEqual([desk]);
    expect(await stepUpTo(other.number)).toEqual([user.email]);
  });
});
