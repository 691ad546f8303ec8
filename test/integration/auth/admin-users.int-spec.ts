import { AdminUserView, SecondFactorRequiredResult } from '@app/contracts';
import { errorCode, expectStatus, randomId, strongPassword } from '@app/testing';
import { InitialPassword } from '@app/auth/login-flow/initial-password.entity';
import { Membership } from '@app/auth/tenants/membership.entity';
import { User } from '@app/auth/users/user.entity';
import { AuditCapture, adminSession, AdminSession, listUsers, memberOf } from './admin-harness';
import { AuthGateway } from './auth-gateway';
import { UserFixture } from './auth-test-app';

/** AUTH-1, AUTH-4, AUTH-7, AUTH-21, NOTIF-6: a tenant admin manages the users of their tenant over HTTP. */
describe('Tenant admin user management, through the gateway', () => {
  let platform: AuthGateway;
  let audit: AuditCapture;
  let session: AdminSession;

  beforeAll(async () => {
    platform = await AuthGateway.create();
    audit = await AuditCapture.start(platform);
  });
  beforeEach(async () => {
    // A fresh admin per test: every test starts with a second step younger than the step-up window.
    session = await adminSession(platform);
  });
  afterAll(async () => {
    await audit?.stop();
    await platform.close();
  });

  const as = (s: AdminSession) => ({
    get: (path: string) => platform.api('GET', path, { token: s.token }),
    post: (path: string, body?: unknown) => platform.api('POST', path, { token: s.token, body }),
    patch: (path: string, body: unknown) => platform.api('PATCH', path, { token: s.token, body }),
    put: (path: string, body: unknown) => platform.api('PUT', path, { token: s.token, body }),
  });
  const stored = (id: string) => platform.auth.dataSource.getRepository(User).findOneByOrFail({ id });
  const newUserBody = (overrides: Record<string, unknown> = {}) => ({
    familyName: 'Yamada',
    givenName: 'Taro',
    email: `taro-${randomId(8)}@example.org`,
    ...overrides,
  });
  /** Audit events must carry ids and reason codes only (AUDIT-2). */
  const expectNoPii = (event: unknown, ...texts: string[]) => {
    const json = JSON.stringify(event).toLowerCase();
    for (const text of texts) {
      expect(json).not.toContain(text.toLowerCase());
    }
  };

  describe('creating users (AUTH-21, AUTH-1)', () => {
    it('creates a user of the active tenant with the suggested ID, no password yet and Asia/Tokyo by default', async () => {
      const body = newUserBody({
        title: 'Manager',
        phone: '+819012345678',
        officePhone: '03-1234-5678',
        language: 'en',
        mfaRequired: true,
      });
      const answer = await as(session).post('/admin/users', body);
      expectStatus(answer, 201);
      const view = answer.body as AdminUserView;
      expect(view).toMatchObject({
        userId: `${body.email}.fm`,
        email: body.email,
        familyName: 'Yamada',
        givenName: 'Taro',
        title: 'Manager',
        phone: '+819012345678',
        officePhone: '03-1234-5678',
        language: 'en',
        timezone: 'Asia/Tokyo',
        admin: false,
        mfaRequired: true,
        loginDisabled: false,
        locked: false,
        emailUndeliverable: false,
        notificationEmail: null,
      });
      expect((await stored(view.id)).passwordHash).toBeNull();
      expect(
        await platform.auth.dataSource.getRepository(Membership).findBy({ userId: view.id }),
      ).toMatchObject([{ tenantNumber: session.tenant.number, role: 'user' }]);
      expect((await listUsers(platform, session)).map((u) => u.id)).toContain(view.id);
      expectStatus(await as(session).get(`/admin/users/${view.id}`), 200);

      const [event] = await audit.events({ targetId: view.id, type: 'auth.user.created' });
      expect(event).toMatchObject({
        actor: { userId: session.admin.id, tenant: session.tenant.number },
        target: { type: 'user', id: view.id },
        outcome: 'success',
        reasons: ['tenant_user'],
        tenants: [session.tenant.number],
      });
      expectNoPii(event, body.email, view.userId, 'Yamada');

      // AUTH-14: they set their password through the reset flow with their user ID.
      expectStatus(
        await platform.api('POST', '/auth/password-reset', {
          body: { userId: view.userId, email: body.email },
        }),
        202,
      );
      const mails = await platform.auth.queued('email', { to: body.email, template: 'password-reset-link' });
      expect(mails).toHaveLength(1);
    });

    it('suggests the e-mail + .fm, cutting an address of 38+ characters to its first 37 (AUTH-1)', async () => {
      const short = `s${randomId(8)}@example.org`;
      const suggested = await as(session).get(`/admin/users/suggested-id?email=${encodeURIComponent(short)}`);
      expectStatus(suggested, 200);
      expect(suggested.body).toEqual({ userId: `${short}.fm` });

      const long = `${randomId(14)}.${randomId(14)}@example.org`;
      expect(long.length).toBeGreaterThanOrEqual(38);
      const cut = await as(session).get(`/admin/users/suggested-id?email=${encodeURIComponent(long)}`);
      expect(cut.body).toEqual({ userId: `${long.slice(0, 37)}.fm` });
      expect(cut.body.userId).toHaveLength(40);

      const created = await as(session).post('/admin/users', newUserBody({ email: long }));
      expectStatus(created, 201);
      expect(created.body.userId).toBe(`${long.slice(0, 37)}.fm`);

      expect((await as(session).get('/admin/users/suggested-id?email=not-an-address')).status).toBe(400);
    });

    it('takes a chosen user ID, unique across all tenants whatever its case (409 user_id_taken)', async () => {
      const userId = `chosen-${randomId(8)}`;
      const created = await as(session).post('/admin/users', newUserBody({ userId }));
      expectStatus(created, 201);
      expect(created.body.userId).toBe(userId);

      const elsewhere = await adminSession(platform);
      for (const variant of [userId, ` ${userId.toUpperCase()} `]) {
        const taken = await as(elsewhere).post('/admin/users', newUserBody({ userId: variant }));
        expect(taken.status).toBe(409);
        expect(errorCode(taken)).toBe('user_id_taken');
      }
      // The suggested ID is checked the same way.
      const email = `dup-${randomId(8)}@example.org`;
      expectStatus(await as(session).post('/admin/users', newUserBody({ email })), 201);
      const again = await as(elsewhere).post('/admin/users', newUserBody({ email }));
      expect(errorCode(again)).toBe('user_id_taken');
      // Nothing of the refused creations was left in the other tenant.
      expect(await listUsers(platform, elsewhere)).toHaveLength(1);
    });

    it('refuses malformed input as 400 validation_failed', async () => {
      const bad: Record<string, unknown>[] = [
        newUserBody({ familyName: undefined }),
        newUserBody({ familyName: '   ' }),
        newUserBody({ email: 'not-an-address' }),
        newUserBody({ email: undefined }),
        newUserBody({ userId: 'x'.repeat(41) }),
        newUserBody({ userId: 'tab\tinside' }),
        newUserBody({ phone: '090-1234-5678' }),
        newUserBody({ timezone: 'Mars/Olympus' }),
        newUserBody({ timezone: '+09:00' }),
        newUserBody({ language: 'fr' }),
        newUserBody({ admin: 'yes' }),
        newUserBody({ isOperator: true }),
      ];
      for (const body of bad) {
        const answer = await as(session).post('/admin/users', body);
        expect({ body, status: answer.status, code: errorCode(answer) }).toEqual({
          body,
          status: 400,
          code: 'validation_failed',
        });
      }
      expect(await listUsers(platform, session)).toHaveLength(1);
    });

    it('stores a chosen time zone by its canonical name', async () => {
      const answer = await as(session).post('/admin/users', newUserBody({ timezone: 'europe/london' }));
      expectStatus(answer, 201);
      expect(answer.body.timezone).toBe('Europe/London');
    });

    it('gives an admin an initial authentication password, argon2id, and nobody else one (AUTH-14)', async () => {
      const missing = await as(session).post('/admin/users', newUserBody({ admin: true }));
      expect(missing.status).toBe(400);
      expect(missing.body.error.details.fields).toHaveProperty('initialPassword');

      const forUser = await as(session).post(
        '/admin/users',
        newUserBody({ initialPassword: strongPassword() }),
      );
      expect(forUser.status).toBe(400);
      expect(forUser.body.error.details.fields).toHaveProperty('initialPassword');

      const weak = await as(session).post(
        '/admin/users',
        newUserBody({ admin: true, initialPassword: 'short' }),
      );
      expect(weak.status).toBe(422);
      expect(errorCode(weak)).toBe('password_policy');
      expect(weak.body.error.details.violations).toContain('min_length');
      expect(await listUsers(platform, session)).toHaveLength(1);

      const initial = strongPassword();
      const created = await as(session).post(
        '/admin/users',
        newUserBody({ admin: true, initialPassword: initial }),
      );
      expectStatus(created, 201);
      expect(created.body.admin).toBe(true);
      const row = await platform.auth.dataSource
        .getRepository(InitialPassword)
        .findOneByOrFail({ userId: created.body.id });
      expect(row.passwordHash).toMatch(/^\$argon2id\$/);
      expect(row.passwordHash).not.toContain(initial);
      expect(row).toMatchObject({ createdBy: session.admin.id, usedAt: null });
      expect((await stored(created.body.id)).passwordHash).toBeNull();
      const [event] = await audit.events({
        targetId: created.body.id,
        type: 'auth.user.created',
      });
      expect(event.reasons).toEqual(['tenant_admin', 'initial_password_set']);
      expectNoPii(event, initial);
    });
  });

  describe('editing users (AUTH-21)', () => {
    it('edits names, title, phones, language, time zone, admin and MFA flags and e-mail; null clears', async () => {
      const user = await memberOf(platform, session, { phone: '+819011112222', emailUndeliverable: true });
      const email = `new-${randomId(8)}@example.org`;
      const answer = await as(session).patch(`/admin/users/${user.id}`, {
        familyName: ' Suzuki ',
        givenName: 'Ichiro',
        title: 'Director',
        phone: '+819033334444',
        officePhone: '+81 3 1234 5678',
        language: 'en',
        timezone: 'America/New_York',
        admin: true,
        mfaRequired: true,
        email,
      });
      expectStatus(answer, 200);
      expect(answer.body).toMatchObject({
        id: user.id,
        userId: user.userId,
        familyName: 'Suzuki',
        givenName: 'Ichiro',
        title: 'Director',
        phone: '+819033334444',
        officePhone: '+81 3 1234 5678',
        language: 'en',
        timezone: 'America/New_York',
        admin: true,
        mfaRequired: true,
        email,
        // NOTIF-6: a new address is not known to bounce.
        emailUndeliverable: false,
      });
      expect(
        await platform.auth.dataSource.getRepository(Membership).findOneByOrFail({ userId: user.id }),
      ).toMatchObject({ role: 'admin' });
      const [event] = await audit.events({ targetId: user.id, type: 'auth.user.updated' });
      expect(event.actor).toMatchObject({ userId: session.admin.id, tenant: session.tenant.number });
      expect([...(event.reasons ?? [])].sort()).toEqual(
        [
          'admin',
          'email',
          'familyName',
          'givenName',
          'language',
          'mfaRequired',
          'officePhone',
          'phone',
          'timezone',
          'title',
        ].sort(),
      );
      expectNoPii(event, email, user.email, '+819033334444', 'Suzuki', 'Director');

      const cleared = await as(session).patch(`/admin/users/${user.id}`, {
        givenName: null,
        title: null,
        phone: null,
        officePhone: null,
        admin: false,
      });
      expectStatus(cleared, 200);
      expect(cleared.body).toMatchObject({
        givenName: null,
        title: null,
        phone: null,
        officePhone: null,
        admin: false,
      });
      // AUTH-19: without a phone, SMS codes are switched off and the user is told by e-mail.
      const stored = await platform.auth.dataSource.getRepository(User).findOneByOrFail({ id: user.id });
      expect(stored.smsDisabledReason).toBe('phone_removed');
      const notices = await platform.auth.queued('email', { userId: user.id, template: 'sms-disabled' });
      expect(notices).toHaveLength(1);
    });

    it('refuses to clear a required field or to take unknown fields', async () => {
      const user = await memberOf(platform, session);
      for (const body of [
        { familyName: null },
        { familyName: ' ' },
        { email: null },
        { email: 'nope' },
        { timezone: null },
        { language: 'de' },
        { userId: 'sneaky' },
        { loginDisabled: true },
      ]) {
        const answer = await as(session).patch(`/admin/users/${user.id}`, body);
        expect({ body, status: answer.status }).toEqual({ body, status: 400 });
      }
      expect(await stored(user.id)).toMatchObject({
        familyName: 'Sato',
        email: user.email,
        userId: user.userId,
      });
    });

    it('writes no audit event for an edit that changes nothing', async () => {
      const user = await memberOf(platform, session);
      expectStatus(
        await as(session).patch(`/admin/users/${user.id}`, { familyName: 'Sato', admin: false }),
        200,
      );
      expect(await audit.events({ targetId: user.id, type: 'auth.user.updated' })).toEqual([]);
    });

    it('does not let an admin take away their own admin role or disable their own login', async () => {
      const demote = await as(session).patch(`/admin/users/${session.admin.id}`, { admin: false });
      expect(demote.status).toBe(409);
      expect(errorCode(demote)).toBe('conflict');
      const disable = await as(session).post(`/admin/users/${session.admin.id}/disable`);
      expect(disable.status).toBe(409);
      expect(await stored(session.admin.id)).toMatchObject({ loginDisabled: false });
      expectStatus(await as(session).get('/admin/users'), 200);
    });
  });

  describe('changing user IDs (AUTH-1)', () => {
    it('changes the ID the user logs in with; the old one no longer works', async () => {
      const user = await memberOf(platform, session);
      const userId = `renamed-${randomId(8)}`;
      const answer = await as(session).put(`/admin/users/${user.id}/user-id`, { userId: ` ${userId} ` });
      expectStatus(answer, 200);
      expect(answer.body.userId).toBe(userId);

      const old = await platform.api('POST', '/auth/login', {
        body: { userId: user.userId, password: user.password },
      });
      expect(old.status).toBe(401);
      const renamed: UserFixture = { ...user, userId: userId.toUpperCase() };
      expect((await platform.login(renamed)).status).toBe('authenticated');

      const [event] = await audit.events({
        targetId: user.id,
        type: 'auth.user.user_id_changed',
      });
      expect(event).toMatchObject({ actor: { userId: session.admin.id }, reasons: ['admin_change'] });
      expectNoPii(event, userId, user.userId);
    });

    it('answers 409 user_id_taken for an ID used in any tenant, and for 1–40 violations 400', async () => {
      const user = await memberOf(platform, session);
      const other = await adminSession(platform);
      const foreign = await memberOf(platform, other);
      for (const userId of [foreign.userId, foreign.userId.toUpperCase(), session.admin.userId]) {
        const answer = await as(session).put(`/admin/users/${user.id}/user-id`, { userId });
        expect(answer.status).toBe(409);
        expect(errorCode(answer)).toBe('user_id_taken');
      }
      for (const userId of ['', '   ', 'y'.repeat(41)]) {
        expect((await as(session).put(`/admin/users/${user.id}/user-id`, { userId })).status).toBe(400);
      }
      expect((await stored(user.id)).userId).toBe(user.userId);
    });

    it('lets an admin of every tenant of a shared user rename and re-address them', async () => {
      const other = await platform.auth.newTenant();
      const shared = await platform.auth.newUser({
        tenants: [
          { tenant: session.tenant, role: 'user' },
          { tenant: other, role: 'admin' },
        ],
      });
      // Without being admin of the other tenant too, this is `409 account_shared`
      // (account-shared.int-spec.ts).
      expect(
        errorCode(await as(session).patch(`/admin/users/${shared.id}`, { email: 'x@example.org' })),
      ).toBe('account_shared');
      await platform.auth.dataSource.getRepository(Membership).insert({
        userId: session.admin.id,
        tenantNumber: other.number,
        role: 'admin',
        notificationEmail: null,
      });
      const userId = `shared-${randomId(8)}`;
      expectStatus(await as(session).put(`/admin/users/${shared.id}/user-id`, { userId }), 200);
      const email = `shared-${randomId(8)}@example.org`;
      expectStatus(await as(session).patch(`/admin/users/${shared.id}`, { email }), 200);
      expect(await stored(shared.id)).toMatchObject({ userId, email });
      // The role in the other tenant is that tenant's business.
      expect(
        await platform.auth.dataSource.getRepository(Membership).findOneByOrFail({
          userId: shared.id,
          tenantNumber: other.number,
        }),
      ).toMatchObject({ role: 'admin' });
      const [event] = await audit.events({
        targetId: shared.id,
        type: 'auth.user.user_id_changed',
      });
      // An admin's action is the tenant's they acted in, even when they are admin of both (issue 16).
      expect(event.tenants).toEqual([session.tenant.number]);
    });

    it('of two concurrent changes to the same ID, exactly one succeeds and the other is 409', async () => {
      for (let round = 0; round < 3; round++) {
        const [a, b] = [await memberOf(platform, session), await memberOf(platform, session)];
        const userId = `race-${randomId(8)}`;
        const answers = await Promise.all([
          as(session).put(`/admin/users/${a.id}/user-id`, { userId }),
          as(session).put(`/admin/users/${b.id}/user-id`, { userId: userId.toUpperCase() }),
        ]);
        expect(answers.map((x) => x.status).sort()).toEqual([200, 409]);
        expect(answers.map(errorCode).filter(Boolean)).toEqual(['user_id_taken']);
        const rows: { n: number }[] = await platform.auth.dataSource.query(
          `SELECT count(*)::int AS n FROM auth.app_user WHERE user_id_key = $1`,
          [userId.toLowerCase()],
        );
        expect(rows[0].n).toBe(1);
      }
    });
  });

  describe('disabling and enabling login (AUTH-4)', () => {
    it('refuses the login with 403 login_disabled after the right password and ends the sessions at once; enable restores', async () => {
      // An admin of the tenant, so their token can call an admin route before and after.
      const user = await memberOf(platform, session, { role: 'admin' });
      const own = await platform.login(user);
      expectStatus(await platform.api('GET', '/admin/users', { token: own.accessToken }), 200);

      expect((await as(session).post(`/admin/users/${user.id}/disable`)).status).toBe(204);

      const refused = await platform.api('GET', '/admin/users', { token: own.accessToken });
      expect(refused.status).toBe(401);
      expect(errorCode(refused)).toBe('session_ended');
      const refresh = await platform.api('POST', '/auth/refresh', {
        body: { refreshToken: own.refreshToken },
      });
      expect(refresh.status).toBe(401);

      const login = await platform.api('POST', '/auth/login', {
        body: { userId: user.userId, password: user.password },
      });
      expect(login.status).toBe(403);
      expect(errorCode(login)).toBe('login_disabled');
      // Only after the right password: a wrong one is still just a wrong one.
      const wrong = await platform.api('POST', '/auth/login', {
        body: { userId: user.userId, password: strongPassword() },
      });
      expect(errorCode(wrong)).toBe('invalid_credentials');

      const listed = (await listUsers(platform, session)).find((u) => u.id === user.id);
      expect(listed).toMatchObject({ loginDisabled: true });
      // Disabled, never deleted.
      expect(await stored(user.id)).toMatchObject({ loginDisabled: true });

      expect((await as(session).post(`/admin/users/${user.id}/enable`)).status).toBe(204);
      expect((await platform.login(user)).status).toBe('authenticated');

      const events = await audit.events({
        targetId: user.id,
        type: ['auth.user.login_disabled', 'auth.user.login_enabled'],
      });
      expect(events.map((e) => [e.type, e.actor.userId, e.reasons])).toEqual([
        ['auth.user.login_disabled', session.admin.id, ['admin_disable']],
        ['auth.user.login_enabled', session.admin.id, ['admin_enable']],
      ]);
    });

    it('is idempotent: disabling twice and enabling twice answer 204 and record one change each', async () => {
      const user = await memberOf(platform, session);
      for (const action of ['disable', 'disable', 'enable', 'enable']) {
        expect((await as(session).post(`/admin/users/${user.id}/${action}`)).status).toBe(204);
      }
      const events = await audit.events({
        targetId: user.id,
        type: ['auth.user.login_disabled', 'auth.user.login_enabled'],
      });
      expect(events.map((e) => e.type)).toEqual(['auth.user.login_disabled', 'auth.user.login_enabled']);
    });
  });

  describe('unlocking (AUTH-3)', () => {
    it('lets a locked user log in again at once', async () => {
      const user = await memberOf(platform, session);
      for (let i = 0; i < 5; i++) {
        await platform.api('POST', '/auth/login', {
          body: { userId: user.userId, password: strongPassword() },
        });
      }
      const locked = await platform.api('POST', '/auth/login', {
        body: { userId: user.userId, password: user.password },
      });
      expect(locked.status).toBe(423);
      expect((await listUsers(platform, session)).find((u) => u.id === user.id)?.locked).toBe(true);

      expect((await as(session).post(`/admin/users/${user.id}/unlock`)).status).toBe(204);
      expect((await platform.login(user)).status).toBe('authenticated');
      const [event] = await audit.events({ targetId: user.id, type: 'auth.account.unlocked' });
      expect(event).toMatchObject({ actor: { userId: session.admin.id }, reasons: ['admin_unlock'] });
    });
  });

  describe('e-mail recipients of codes (AUTH-7)', () => {
    async function emailCodeJob(user: UserFixture): Promise<{ to: string[]; destination: string }> {
      platform.auth.clock.advance(31_000);
      const first = (await platform.passwordStep(user)) as SecondFactorRequiredResult;
      expect(first.status).toBe('second_factor_required');
      const challenge = await platform.api('POST', `/auth/login/${first.flowId}/challenge`, {
        body: { method: 'email' },
      });
      expectStatus(challenge, 202);
      const jobs = await platform.auth.queued('email', { userId: user.id, template: 'security-code' });
      return { to: jobs[jobs.length - 1].to, destination: challenge.body.destination };
    }

    it('shows the notification address after the password, and keeps using it when the account e-mail bounced', async () => {
      const user = await memberOf(platform, session, { mfaRequired: true, emailUndeliverable: true });
      const desk = `desk-${randomId(8)}@example.net`;
      expectStatus(await as(session).put(`/admin/users/${user.id}/notification-email`, { email: desk }), 200);

      const first = (await platform.passwordStep(user)) as SecondFactorRequiredResult;
      expect(first.methods.find((m) => m.type === 'email')?.destination).toBe('d***@example.net');
      const sent = await emailCodeJob(user);
      expect(sent.to).toEqual([desk]);

      // Without the notification address only the bounced account address is left.
      expectStatus(await as(session).put(`/admin/users/${user.id}/notification-email`, { email: null }), 200);
      platform.auth.clock.advance(31_000);
      const again = (await platform.passwordStep(user)) as SecondFactorRequiredResult;
      const refused = await platform.api('POST', `/auth/login/${again.flowId}/challenge`, {
        body: { method: 'email' },
      });
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('email_unavailable');
    });

    it('sends codes only to the notification address the admin set, otherwise to the account e-mail', async () => {
      const user = await memberOf(platform, session, { mfaRequired: true });
      expect((await emailCodeJob(user)).to).toEqual([user.email]);

      const desk = `desk-${randomId(8)}@example.net`;
      const set = await as(session).put(`/admin/users/${user.id}/notification-email`, { email: desk });
      expectStatus(set, 200);
      expect(set.body.notificationEmail).toBe(desk);
      const toDesk = await emailCodeJob(user);
      expect(toDesk.to).toEqual([desk]);
      expect(toDesk.destination).toBe('d***@example.net');

      expectStatus(await as(session).put(`/admin/users/${user.id}/notification-email`, { email: null }), 200);
      expect((await emailCodeJob(user)).to).toEqual([user.email]);

      const events = await audit.events({
        targetId: user.id,
        type: 'auth.user.notification_email_set',
      });
      expect(events.map((e) => [e.reasons, e.tenants])).toEqual([
        [['set'], [session.tenant.number]],
        [['cleared'], [session.tenant.number]],
      ]);
      expectNoPii(events, desk);
    });

    it('keeps the address to the tenant that set it', async () => {
      const other = await adminSession(platform);
      const shared = await platform.auth.newUser({
        tenants: [
          { tenant: session.tenant, role: 'user' },
          { tenant: other.tenant, role: 'user' },
        ],
      });
      // Setting it for a shared user takes an admin of every tenant of theirs (account_shared).
      await platform.auth.dataSource.getRepository(Membership).insert({
        userId: session.admin.id,
        tenantNumber: other.tenant.number,
        role: 'admin',
        notificationEmail: null,
      });
      const desk = `desk-${randomId(8)}@example.net`;
      expectStatus(
        await as(session).put(`/admin/users/${shared.id}/notification-email`, { email: desk }),
        200,
      );
      expect((await as(session).get(`/admin/users/${shared.id}`)).body.notificationEmail).toBe(desk);
      expect((await as(other).get(`/admin/users/${shared.id}`)).body.notificationEmail).toBeNull();
    });

    it('refuses a malformed or missing address', async () => {
      const user = await memberOf(platform, session);
      for (const body of [{ email: 'nope' }, {}, { email: 42 }]) {
        expect((await as(session).put(`/admin/users/${user.id}/notification-email`, body)).status).toBe(400);
      }
    });
  });

  describe('undeliverable addresses (NOTIF-6)', () => {
    it('clears the mark, so codes by e-mail are sent again', async () => {
      const user = await memberOf(platform, session, { mfaRequired: true, emailUndeliverable: true });
      const first = (await platform.passwordStep(user)) as SecondFactorRequiredResult;
      const refused = await platform.api('POST', `/auth/login/${first.flowId}/challenge`, {
        body: { method: 'email' },
      });
      expect(refused.status).toBe(422);
      expect(errorCode(refused)).toBe('email_unavailable');
      expect((await listUsers(platform, session)).find((u) => u.id === user.id)?.emailUndeliverable).toBe(
        true,
      );

      expect((await as(session).post(`/admin/users/${user.id}/email-deliverable`)).status).toBe(204);
      expect(await stored(user.id)).toMatchObject({ emailUndeliverable: false });
      const sent = await platform.api('POST', `/auth/login/${first.flowId}/challenge`, {
        body: { method: 'email' },
      });
      expectStatus(sent, 202);
      const [event] = await audit.events({
        targetId: user.id,
        type: 'auth.user.email_deliverable',
      });
      expect(event).toMatchObject({ actor: { userId: session.admin.id }, reasons: ['admin_cleared'] });
    });
  });

  describe('reading', () => {
    it('answers one user by id, 404 for an unknown id and 400 for one that is not an id', async () => {
      const user = await memberOf(platform, session);
      const one = await as(session).get(`/admin/users/${user.id}`);
      expectStatus(one, 200);
      expect(one.body).toMatchObject({ id: user.id, userId: user.userId, admin: false });
      const unknown = await as(session).get('/admin/users/00000000-0000-4000-8000-000000000000');
      expect(unknown.status).toBe(404);
      expect(errorCode(unknown)).toBe('not_found');
      expect((await as(session).get('/admin/users/nope')).status).toBe(400);
    });

    it('refuses a user who is not an admin of the active tenant', async () => {
      const user = await memberOf(platform, session);
      const tokens = await platform.login(user);
      for (const [method, path] of [
        ['GET', '/admin/users'],
        ['GET', `/admin/users/${session.admin.id}`],
        ['POST', `/admin/users/${session.admin.id}/disable`],
      ]) {
        expect((await platform.api(method, path, { token: tokens.accessToken })).status).toBe(403);
      }
      expect(await stored(session.admin.id)).toMatchObject({ loginDisabled: false });
    });
  });
});
