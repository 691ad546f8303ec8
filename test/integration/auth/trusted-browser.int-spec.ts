import { call, expectStatus, strongPassword } from '@app/testing';
import { AuthGateway } from './auth-gateway';
import { UserFixture } from './auth-test-app';

const HOUR = 60 * 60 * 1000;
const EIGHT_HOURS = 8 * HOUR;
const DAY = 24 * HOUR;
const OFFICE = {
  ip: '203.0.113.50',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
};

/** AUTH-9: a trusted browser skips the second step, for its user only, until it expires or is voided. */
describe('trusted browsers (AUTH-9), through the gateway', () => {
  let platform: AuthGateway;

  beforeAll(async () => {
    platform = await AuthGateway.create();
  });
  afterAll(async () => {
    await platform.close();
  });

  /** A user who owes a second step by their own MFA flag, in a tenant of their own. */
  async function mfaUser(): Promise<UserFixture> {
    const tenant = await platform.auth.newTenant();
    return platform.auth.newUser({ tenant, mfaRequired: true });
  }

  /** A whole login that trusts the browser; returns the device token and the session's tokens. */
  async function trust(user: UserFixture, name = 'Office PC') {
    const tokens = await platform.login(user, { trustBrowser: name, ...OFFICE });
    expect(tokens.deviceToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    return { deviceToken: tokens.deviceToken as string, accessToken: tokens.accessToken };
  }

  async function browsersOf(user: UserFixture) {
    return platform.auth.dataSource.query(
      `SELECT id, token_hmac, revoked_at, expires_at FROM auth.trusted_browser WHERE user_id = $1`,
      [user.id],
    ) as Promise<{ id: string; token_hmac: string; revoked_at: Date | null; expires_at: Date }[]>;
  }

  it('skips the second step for the same user, and audits its addition and its use', async () => {
    const user = await mfaUser();
    const { deviceToken } = await trust(user);

    const without = await platform.passwordStep(user, OFFICE);
    expect(without.status).toBe('second_factor_required');

    const withToken = await platform.passwordStep(user, { deviceToken, ...OFFICE });
    expect(withToken).toMatchObject({ status: 'authenticated', activeTenant: user.tenant });

    const [row] = await browsersOf(user);
    // Stored only as an HMAC.
    expect(row.token_hmac).not.toContain(deviceToken);
    expect(
      await platform.auth.auditEvents({ actorUserId: user.id, type: 'auth.trusted_browser.added' }),
    ).toEqual([
      expect.objectContaining({ target: { type: 'trusted_browser', id: row.id }, outcome: 'success' }),
    ]);
    const succeeded = await platform.auth.auditEvents({ actorUserId: user.id, type: 'auth.login.succeeded' });
    expect(succeeded.at(-1)?.reasons).toEqual(['password', 'trusted_browser']);
  });

  it("does not let one user's token skip anything for another user", async () => {
    const alice = await mfaUser();
    const bob = await mfaUser();
    const { deviceToken } = await trust(alice);

    expect((await platform.passwordStep(bob, { deviceToken, ...OFFICE })).status).toBe(
      'second_factor_required',
    );
    const asCookie = await platform.api('POST', '/auth/login', {
      body: { userId: bob.userId, password: bob.password },
      deviceCookie: deviceToken,
      ...OFFICE,
    });
    expectStatus(asCookie, 200);
    expect(asCookie.body.status).toBe('second_factor_required');
    // Alice's token is still good for Alice.
    expect((await platform.passwordStep(alice, { deviceToken, ...OFFICE })).status).toBe('authenticated');
  });

  it('sets the httpOnly cookie at verify, and the cookie works like the body field', async () => {
    const user = await mfaUser();
    const first = await platform.passwordStep(user, OFFICE);
    expect(first.status).toBe('second_factor_required');
    const flowId = (first as { flowId: string }).flowId;
    expectStatus(
      await platform.api('POST', `/auth/login/${flowId}/challenge`, { body: { method: 'email' }, ...OFFICE }),
      202,
    );
    const verify = await platform.api('POST', `/auth/login/${flowId}/verify`, {
      body: {
        method: 'email',
        code: await platform.auth.lastCode(user.id, 'email'),
        trustBrowser: { name: 'Laptop' },
      },
      ...OFFICE,
    });
    expectStatus(verify, 200);
    const deviceToken = verify.body.deviceToken as string;
    const cookie = verify.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`mamori_device=${deviceToken}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Path=\/api\/v1\/auth/i);

    const byCookie = await platform.api('POST', '/auth/login', {
      body: { userId: user.userId, password: user.password },
      deviceCookie: deviceToken,
      ...OFFICE,
    });
    expectStatus(byCookie, 200);
    expect(byCookie.body.status).toBe('authenticated');
  });

  it('is void after a password reset through the reset flow', async () => {
    const user = await mfaUser();
    const { deviceToken } = await trust(user);

    expectStatus(
      await platform.api('POST', '/auth/password-reset', {
        body: { userId: user.userId, email: user.email },
      }),
      202,
    );
    const [mail] = await platform.auth.queued('email', { template: 'password-reset-link', userId: user.id });
    const resetToken = mail.params.link.split('/').pop() as string;
    const newPassword = strongPassword();
    expectStatus(
      await platform.api('POST', `/auth/password-reset/${resetToken}`, { body: { newPassword } }),
      204,
    );

    const after = await platform.passwordStep({ ...user, password: newPassword }, { deviceToken, ...OFFICE });
    expect(after.status).toBe('second_factor_required');
    // Marked revoked too, so nobody counts it as live.
    expect((await browsersOf(user))[0].revoked_at).not.toBeNull();
  });

  it('is void after "log out everywhere"', async () => {
    const user = await mfaUser();
    const { deviceToken, accessToken } = await trust(user);
    expectStatus(
      await platform.api('POST', '/auth/logout', { body: { all: true }, token: accessToken }),
      204,
    );

    expect((await platform.passwordStep(user, { deviceToken, ...OFFICE })).status).toBe(
      'second_factor_required',
    );
    expect((await browsersOf(user))[0].revoked_at).not.toBeNull();
  });

  it('expires after 8 hours by default', async () => {
    const user = await mfaUser();
    const { deviceToken } = await trust(user);

    platform.auth.clock.advance(EIGHT_HOURS - 60_000);
    expect((await platform.passwordStep(user, { deviceToken, ...OFFICE })).status).toBe('authenticated');
    platform.auth.clock.advance(60_000);
    expect((await platform.passwordStep(user, { deviceToken, ...OFFICE })).status).toBe(
      'second_factor_required',
    );
  });

  it('lasts as long as the tenant policy allows, and a shorter policy shortens browsers already trusted', async () => {
    const tenant = await platform.auth.newTenant();
    const admin = await platform.auth.newUser({ tenant, role: 'admin' });
    const user = await platform.auth.newUser({ tenant, mfaRequired: true });
    const adminTokens = await platform.login(admin);
    const set = await platform.api('PUT', '/admin/security-policy', {
      body: { trustedBrowserDays: 30 },
      token: adminTokens.accessToken,
    });
    expectStatus(set, 200);
    expect(set.body).toEqual({ mfaAlways: false, trustedBrowserDays: 30 });

    const { deviceToken, accessToken } = await trust(user);
    const listed = await platform.api('GET', '/me/trusted-browsers', { token: accessToken });
    expect(new Date(listed.body[0].expiresAt).getTime() - new Date(listed.body[0].createdAt).getTime()).toBe(
      30 * DAY,
    );

    platform.auth.clock.advance(9 * HOUR);
    expect((await platform.passwordStep(user, { deviceToken, ...OFFICE })).status).toBe('authenticated');

    // Back to the default (8 hours): the browser trusted 9 hours ago is no longer.
    const admin2 = await platform.login(admin);
    expectStatus(
      await platform.api('PUT', '/admin/security-policy', {
        body: { trustedBrowserDays: null },
        token: admin2.accessToken,
      }),
      200,
    );
    expect((await platform.passwordStep(user, { deviceToken, ...OFFICE })).status).toBe(
      'second_factor_required',
    );
  });

  it('lists name, dates, user agent and IP of each own browser, never a token', async () => {
    const user = await mfaUser();
    const other = await mfaUser();
    const { deviceToken } = await trust(user, '  Office PC  ');
    await trust(other, 'Not yours');
    const tokens = await platform.login(user, { ...OFFICE, deviceToken });

    const listed = await platform.api('GET', '/me/trusted-browsers', { token: tokens.accessToken });
    expectStatus(listed, 200);
    expect(listed.body).toEqual([
      {
        id: expect.any(String),
        name: 'Office PC',
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
        userAgent: OFFICE.userAgent,
        ip: OFFICE.ip,
        expiresAt: expect.any(String),
      },
    ]);
    const text = JSON.stringify(listed.body);
    expect(text).not.toContain(deviceToken);
    expect(text.toLowerCase()).not.toContain('token');
  });

  it('revokes one browser only after step-up, and another user’s browser is not found', async () => {
    const user = await mfaUser();
    const other = await mfaUser();
    const { deviceToken } = await trust(user, 'Home');
    const kept = await trust(user, 'Office');
    await trust(other);
    const [otherBrowser] = await browsersOf(other);
    const tokens = await platform.login(user, OFFICE);
    const list = await platform.api('GET', '/me/trusted-browsers', { token: tokens.accessToken });
    const home = (list.body as { id: string; name: string }[]).find((b) => b.name === 'Home')!;

    platform.staleSecondStep();
    const refused = await platform.api('DELETE', `/me/trusted-browsers/${home.id}`, {
      token: tokens.accessToken,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('step_up_required');
    // Still trusted: nothing was revoked without the step-up.
    expect((await platform.passwordStep(user, { deviceToken, ...OFFICE })).status).toBe('authenticated');

    const fresh = await platform.stepUp(user, refused);
    expectStatus(
      await platform.api('DELETE', `/me/trusted-browsers/${home.id}`, { token: fresh.accessToken }),
      204,
    );
    expect((await platform.passwordStep(user, { deviceToken, ...OFFICE })).status).toBe(
      'second_factor_required',
    );
    expect((await platform.passwordStep(user, { deviceToken: kept.deviceToken, ...OFFICE })).status).toBe(
      'authenticated',
    );
    expect(
      await platform.auth.auditEvents({ actorUserId: user.id, type: 'auth.trusted_browser.revoked' }),
    ).toEqual([
      expect.objectContaining({ target: { type: 'trusted_browser', id: home.id }, outcome: 'success' }),
    ]);

    const foreign = await platform.api('DELETE', `/me/trusted-browsers/${otherBrowser.id}`, {
      token: fresh.accessToken,
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('not_found');
    expect((await browsersOf(other))[0].revoked_at).toBeNull();
  });

  it('revokes all browsers of the user only after step-up', async () => {
    const user = await mfaUser();
    const first = await trust(user, 'Home');
    const second = await trust(user, 'Office');
    const tokens = await platform.login(user, OFFICE);

    platform.staleSecondStep();
    const refused = await platform.api('DELETE', '/me/trusted-browsers', { token: tokens.accessToken });
    expect(refused.body.error.code).toBe('step_up_required');
    const fresh = await platform.stepUp(user, refused);
    expectStatus(await platform.api('DELETE', '/me/trusted-browsers', { token: fresh.accessToken }), 204);

    for (const deviceToken of [first.deviceToken, second.deviceToken]) {
      expect((await platform.passwordStep(user, { deviceToken, ...OFFICE })).status).toBe(
        'second_factor_required',
      );
    }
    const listed = await platform.api('GET', '/me/trusted-browsers', { token: fresh.accessToken });
    expect(listed.body).toEqual([]);
    expect(
      await platform.auth.auditEvents({ actorUserId: user.id, type: 'auth.trusted_browser.revoked' }),
    ).toHaveLength(2);
  });

  it('still asks for the second step when the risk check objects, e.g. after several wrong passwords', async () => {
    const user = await mfaUser();
    const { deviceToken } = await trust(user);
    for (let i = 0; i < 3; i++) {
      const wrong = await platform.api('POST', '/auth/login', {
        body: { userId: user.userId, password: `Wrong-password-${i}!`, deviceToken },
        ...OFFICE,
      });
      expect(wrong.status).toBe(401);
    }
    const after = await platform.passwordStep(user, { deviceToken, ...OFFICE });
    expect(after.status).toBe('second_factor_required');
    expect((after as { reasons: string[] }).reasons).toEqual(
      expect.arrayContaining(['user_mfa', 'recent_failures']),
    );
  });

  it('still asks for the second step when its token comes from another device on another network', async () => {
    const user = await mfaUser();
    const { deviceToken } = await trust(user);
    const stolen = await platform.passwordStep(user, {
      deviceToken,
      ip: '192.0.2.77',
      userAgent: 'curl/8.5.0',
    });
    expect(stolen.status).toBe('second_factor_required');
    expect((stolen as { reasons: string[] }).reasons).toEqual(
      expect.arrayContaining(['new_device', 'new_network']),
    );
  });

  it('documents its routes in the OpenAPI document', async () => {
    const doc = await call(platform.url, 'GET', '/api/docs-json');
    expectStatus(doc, 200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/me/trusted-browsers',
        '/api/v1/me/trusted-browsers/{id}',
        '/api/v1/admin/security-policy',
      ]),
    );
  });
});
