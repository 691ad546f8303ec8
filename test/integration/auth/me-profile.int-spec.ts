import { randomUUID } from 'node:crypto';
import { call, expectStatus, randomId } from '@app/testing';
import { AuthGateway } from './auth-gateway';
import { NewUserOptions, UserFixture } from './auth-test-app';

/**
 * AUTH-20 through the gateway: the caller reads and changes their own profile; the e-mail and the
 * phone need a fresh second step (AUTH-12); messages follow the user's language. And
 * `GET /me/security`, the state of the sign-in methods.
 */
describe('the signed-in user’s profile (AUTH-20), through the gateway', () => {
  let platform: AuthGateway;

  beforeAll(async () => {
    platform = await AuthGateway.create();
  });
  afterAll(async () => {
    await platform.close();
  });

  async function signedIn(options: NewUserOptions = {}): Promise<{ user: UserFixture; token: string }> {
    const tenant = await platform.auth.newTenant();
    const user = await platform.auth.newUser({ tenant, ...options });
    const tokens = await platform.login(user);
    return { user, token: tokens.accessToken };
  }

  const me = (token: string) => platform.api('GET', '/me', { token });
  const patch = (token: string, body: unknown) => platform.api('PATCH', '/me', { token, body });

  it('GET /me answers the caller’s own account with their tenants', async () => {
    const tenant = await platform.auth.newTenant();
    const user = await platform.auth.newUser({
      tenant,
      role: 'admin',
      phone: '+819012345678',
      familyName: '佐藤',
      givenName: '花子',
    });
    const tokens = await platform.login(user);

    const answer = await me(tokens.accessToken);
    expectStatus(answer, 200);
    expect(answer.body).toEqual({
      id: user.id,
      userId: user.userId,
      familyName: '佐藤',
      givenName: '花子',
      displayName: null,
      email: user.email,
      phone: '+819012345678',
      officePhone: null,
      language: 'ja',
      timezone: 'Asia/Tokyo',
      tenants: [{ number: tenant.number, name: tenant.name, role: 'admin' }],
      activeTenant: tenant.number,
    });
    expect((await platform.api('GET', '/me')).status).toBe(401);
  });

  it('changes display name, language and time zone without a step-up, and audits the field names only', async () => {
    const { user, token } = await signedIn();
    // Long past the login's second step: these fields still need none.
    platform.staleSecondStep();

    const answer = await patch(token, {
      displayName: '  Hanako (Sales)  ',
      language: 'en',
      timezone: 'europe/london',
    });
    expectStatus(answer, 200);
    expect(answer.body).toMatchObject({
      displayName: 'Hanako (Sales)',
      language: 'en',
      timezone: 'Europe/London',
      email: user.email,
    });
    expect((await me(token)).body).toMatchObject({
      displayName: 'Hanako (Sales)',
      language: 'en',
      timezone: 'Europe/London',
    });

    const events = await platform.auth.auditEvents({ actorUserId: user.id, type: 'auth.profile.updated' });
    expect(events).toHaveLength(1);
    expect(events[0].reasons).toEqual(['displayName', 'language', 'timezone']);
    expect(JSON.stringify(events[0])).not.toContain('Hanako');

    // Sending the same values again changes nothing and writes nothing.
    expectStatus(await patch(token, { language: 'en', timezone: 'Europe/London' }), 200);
    expect(
      await platform.auth.auditEvents({ actorUserId: user.id, type: 'auth.profile.updated' }),
    ).toHaveLength(1);
  });

  it.each([
    [{ timezone: 'Mars/Olympus' }, 'timezone'],
    [{ timezone: '+09:00' }, 'timezone'],
    [{ language: 'fr' }, 'language'],
    [{ phone: '090-1234-5678' }, 'phone'],
    [{ email: 'not-an-address' }, 'email'],
    [{ email: null }, 'email'],
    [{ language: null }, 'language'],
  ])('refuses %j as 400 validation_failed and changes nothing', async (body, field) => {
    const { user, token } = await signedIn();
    const answer = await patch(token, { displayName: 'Should not stick', ...body });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('validation_failed');
    expect(Object.keys(answer.body.error.details.fields)).toContain(field);
    expect((await me(token)).body).toMatchObject({
      displayName: null,
      email: user.email,
      language: 'ja',
      timezone: 'Asia/Tokyo',
    });
  });

  it('refuses an e-mail change without a fresh second step, then makes it at once after the step-up', async () => {
    const { user, token } = await signedIn();
    platform.staleSecondStep();
    const newEmail = `n${randomId(12)}@example.com`;

    const refused = await patch(token, { email: newEmail, displayName: 'Together' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('step_up_required');
    expect(refused.body.error.details.flowId).toEqual(expect.any(String));
    // Nothing of the refused call happened, not even the field that needs no step-up.
    expect((await me(token)).body).toMatchObject({ email: user.email, displayName: null });

    // The step-up code goes to the address registered before the change.
    const fresh = await platform.stepUp(user, refused);
    const done = await patch(fresh.accessToken, { email: newEmail, displayName: 'Together' });
    expectStatus(done, 200);
    expect(done.body).toMatchObject({ email: newEmail, displayName: 'Together' });
    // The owner hears of it at the old address, in their language; the new one gets no notice.
    const told = await platform.auth.queued('email', { to: user.email, template: 'contact-changed' });
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ params: { field: 'email' }, language: user.entity.language });
    expect(await platform.auth.queued('email', { to: newEmail, template: 'contact-changed' })).toEqual([]);

    // Effective at once: the next code is sent to the new address, none to the old one.
    platform.staleSecondStep();
    const next = await patch(fresh.accessToken, { phone: '+819011112222' });
    expect(next.body.error.code).toBe('step_up_required');
    const codesToOld = (await platform.auth.queued('email', { to: user.email, template: 'security-code' }))
      .length;
    const challenge = await platform.api('POST', `/auth/login/${next.body.error.details.flowId}/challenge`, {
      body: { method: 'email' },
    });
    expectStatus(challenge, 202);
    expect(await platform.auth.queued('email', { to: newEmail, template: 'security-code' })).toHaveLength(1);
    expect(await platform.auth.queued('email', { to: user.email, template: 'security-code' })).toHaveLength(
      codesToOld,
    );

    const events = await platform.auth.auditEvents({ actorUserId: user.id, type: 'auth.profile.updated' });
    expect(events.map((e) => e.reasons)).toEqual([['displayName', 'email']]);
    expect(JSON.stringify(events)).not.toContain(newEmail);
  });

  it('refuses a phone change without a fresh second step', async () => {
    const { token } = await signedIn({ phone: '+819012345678' });
    platform.staleSecondStep();
    const refused = await patch(token, { phone: '+819087654321' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('step_up_required');
    expect((await me(token)).body.phone).toBe('+819012345678');
  });

  it('writes the next notice in the language the user has just chosen', async () => {
    const { user, token } = await signedIn({ phone: '+819012345678', language: 'ja' });
    expectStatus(await patch(token, { language: 'en' }), 200);

    platform.staleSecondStep();
    const refused = await patch(token, { phone: null });
    const fresh = await platform.stepUp(user, refused);
    const removed = await patch(fresh.accessToken, { phone: null });
    expectStatus(removed, 200);
    expect(removed.body.phone).toBeNull();

    const notices = await platform.auth.queued('email', { userId: user.id, template: 'sms-disabled' });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      language: 'en',
      to: [user.email],
      params: { reason: 'phone_removed' },
    });
  });

  it('publishes the routes and their fields in OpenAPI', async () => {
    const doc = await call(platform.url, 'GET', '/api/docs-json');
    expectStatus(doc, 200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/me',
        '/api/v1/me/password',
        '/api/v1/me/security',
        '/api/v1/ops/users/{id}/mfa-reset',
        '/api/v1/ops/users/{id}/phone-line-cancelled',
      ]),
    );
    expect(Object.keys(doc.body.paths['/api/v1/me'])).toEqual(expect.arrayContaining(['get', 'patch']));
    const profile = doc.body.components.schemas.UpdateProfileDto.properties;
    expect(profile.phone).toMatchObject({ type: 'string', nullable: true });
    expect(Object.keys(profile).sort()).toEqual(['displayName', 'email', 'language', 'phone', 'timezone']);
    expect(doc.body.components.schemas.MfaResetDto.required).toEqual(
      expect.arrayContaining(['caseNumber', 'email', 'familyName', 'company']),
    );
  });

  describe('GET /me/security', () => {
    const security = (token: string) => platform.api('GET', '/me/security', { token });

    it('shows a user with nothing enrolled', async () => {
      const { user, token } = await signedIn({ phone: '+819012345678' });
      const answer = await security(token);
      expectStatus(answer, 200);
      expect(answer.body).toEqual({
        mfaEnabled: false,
        sms: { available: true, disabledReason: null },
        email: { address: user.email, undeliverable: false },
        totp: { enabled: false },
        passkeys: 0,
        trustedBrowsers: 0,
      });
    });

    it('counts MFA as enabled by the user’s own flag, and SMS as unavailable without a phone', async () => {
      const { token } = await signedIn({ mfaRequired: true, emailUndeliverable: false });
      const answer = await security(token);
      expectStatus(answer, 200);
      expect(answer.body).toMatchObject({
        mfaEnabled: true,
        sms: { available: false, disabledReason: null },
      });
    });

    it('counts enrolled factors: passkeys, an enabled authenticator app, live trusted browsers only', async () => {
      const { user, token } = await signedIn();
      const now = platform.auth.clock.now();
      const hour = 60 * 60 * 1000;
      const db = platform.auth.dataSource;
      await db.query(
        `INSERT INTO auth.passkey (id, user_id, credential_id, public_key, name, created_at)
         VALUES ($1, $2, $3, '\\x00', 'Laptop', $4), ($5, $2, $6, '\\x00', 'Phone', $4)`,
        [randomUUID(), user.id, randomId(20), now, randomUUID(), randomId(20)],
      );
      await db.query(
        `INSERT INTO auth.totp_credential (user_id, secret_enc, created_at, enabled_at) VALUES ($1, 'x', $2, $2)`,
        [user.id, now],
      );
      const browser = (expiresAt: Date, revokedAt: Date | null, version: number) =>
        db.query(
          `INSERT INTO auth.trusted_browser (id, user_id, token_hmac, name, credential_version, created_at, expires_at, revoked_at)
           VALUES ($1, $2, $3, 'Browser', $4, $5, $6, $7)`,
          [randomUUID(), user.id, randomId(32), version, now, expiresAt, revokedAt],
        );
      await browser(new Date(now.getTime() + hour), null, 1); // live
      await browser(new Date(now.getTime() + hour), now, 1); // revoked
      await browser(new Date(now.getTime() - 1000), null, 1); // expired
      await browser(new Date(now.getTime() + hour), null, 0); // of an older credential version

      const answer = await security(token);
      expectStatus(answer, 200);
      expect(answer.body).toMatchObject({
        mfaEnabled: true,
        totp: { enabled: true },
        passkeys: 2,
        trustedBrowsers: 1,
      });
    });

    it('does not count an authenticator app that was never confirmed', async () => {
      const { user, token } = await signedIn();
      await platform.auth.dataSource.query(
        `INSERT INTO auth.totp_credential (user_id, secret_enc, created_at) VALUES ($1, 'x', $2)`,
        [user.id, platform.auth.clock.now()],
      );
      const answer = await security(token);
      expect(answer.body).toMatchObject({ mfaEnabled: false, totp: { enabled: false } });
    });
  });
});
