import { randomUUID } from 'node:crypto';
import { expectStatus, randomId } from '@app/testing';
import { User } from '@app/auth/users/user.entity';
import { AuthGateway } from './auth-gateway';
import { TenantFixture, UserFixture } from './auth-test-app';

const PHONE = '+819012345678';

/**
 * AUTH-19 through the gateway: SMS codes switch off by themselves when the phone line is cancelled
 * or the phone removed, with a notice to the contact e-mail; an operator resets a user's MFA only
 * after an identity check, audited under the case number, with a notice to the user.
 */
describe('automatic MFA changes (AUTH-19), through the gateway', () => {
  let platform: AuthGateway;
  let operator: UserFixture;

  beforeAll(async () => {
    platform = await AuthGateway.create();
    operator = await platform.auth.newUser({ operator: true, mfaRequired: true });
  });
  afterAll(async () => {
    await platform.close();
  });

  /** A new login of the operator: its second step is fresh, so no step-up is asked (AUTH-12). */
  async function operatorToken(): Promise<string> {
    return (await platform.login(operator, { method: 'email' })).accessToken;
  }

  async function userWithPhone(
    overrides: { tenant?: TenantFixture; language?: 'ja' | 'en' } = {},
  ): Promise<UserFixture> {
    const tenant = overrides.tenant ?? (await platform.auth.newTenant());
    // mfaRequired: every login shows the second-step methods on offer.
    return platform.auth.newUser({ tenant, phone: PHONE, mfaRequired: true, language: overrides.language });
  }

  const lineCancelled = (id: string, body: Record<string, unknown>, token: string) =>
    platform.api('POST', `/ops/users/${id}/phone-line-cancelled`, { token, body });
  const mfaReset = (id: string, body: Record<string, unknown>, token: string) =>
    platform.api('POST', `/ops/users/${id}/mfa-reset`, { token, body });

  async function offeredMethods(user: UserFixture): Promise<{ flowId: string; types: string[] }> {
    const first = await platform.passwordStep(user);
    if (first.status !== 'second_factor_required') {
      throw new Error(`expected a second step, got ${first.status}`);
    }
    return { flowId: first.flowId, types: first.methods.map((m) => m.type) };
  }

  async function stored(user: UserFixture): Promise<User> {
    return platform.auth.dataSource.getRepository(User).findOneByOrFail({ id: user.id });
  }

  describe('the carrier cancels the phone line', () => {
    it('switches SMS codes off: no sms on offer, a challenge by sms is 422 sms_unavailable, a notice is queued', async () => {
      const user = await userWithPhone({ language: 'en' });
      const before = await offeredMethods(user);
      expect(before.types).toContain('sms');

      expectStatus(await lineCancelled(user.id, { phone: PHONE }, await operatorToken()), 204);

      const after = await offeredMethods(user);
      expect(after.types).not.toContain('sms');
      expect(after.types).toContain('email');
      const challenge = await platform.api('POST', `/auth/login/${after.flowId}/challenge`, {
        body: { method: 'sms' },
      });
      expect(challenge.status).toBe(422);
      expect(challenge.body.error.code).toBe('sms_unavailable');

      const notices = await platform.auth.queued('email', { userId: user.id, template: 'sms-disabled' });
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({
        to: [user.email],
        language: 'en',
        params: { reason: 'line_cancelled' },
      });
      const events = await platform.auth.auditEvents({ targetId: user.id, type: 'auth.mfa.sms_disabled' });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        actor: { userId: operator.id },
        outcome: 'success',
        reasons: ['line_cancelled'],
      });
      expect(JSON.stringify(events[0])).not.toContain('9012345678');
    });

    it('switches off once however many notices arrive at once: one audit event, one e-mail', async () => {
      const user = await userWithPhone();
      const token = await operatorToken();
      const answers = await Promise.all([1, 2, 3].map(() => lineCancelled(user.id, {}, token)));
      expect(answers.map((a) => a.status)).toEqual([204, 204, 204]);
      expect(await platform.auth.queued('email', { userId: user.id, template: 'sms-disabled' })).toHaveLength(
        1,
      );
      expect(
        await platform.auth.auditEvents({ targetId: user.id, type: 'auth.mfa.sms_disabled' }),
      ).toHaveLength(1);
    });

    it('changes nothing for a notice about another number, or for a user without a phone: 409', async () => {
      const user = await userWithPhone();
      const other = await lineCancelled(user.id, { phone: '+819099998888' }, await operatorToken());
      expect(other.status).toBe(409);
      expect((await stored(user)).smsDisabledAt).toBeNull();
      expect((await offeredMethods(user)).types).toContain('sms');

      const token = await operatorToken();
      const phoneless = await platform.auth.newUser({ tenant: await platform.auth.newTenant() });
      expect((await lineCancelled(phoneless.id, {}, token)).status).toBe(409);
      expect((await lineCancelled(randomUUID(), {}, token)).status).toBe(404);
    });

    it('turns SMS back on when the user registers a phone again', async () => {
      const user = await userWithPhone();
      expectStatus(await lineCancelled(user.id, {}, await operatorToken()), 204);
      const tokens = await platform.login(user, { method: 'email' });
      const security = await platform.api('GET', '/me/security', { token: tokens.accessToken });
      expect(security.body.sms).toEqual({ available: false, disabledReason: 'line_cancelled' });

      // The user has a line again under the same number (the login's second step is fresh).
      expectStatus(
        await platform.api('PATCH', '/me', { token: tokens.accessToken, body: { phone: PHONE } }),
        200,
      );
      const again = await platform.api('GET', '/me/security', { token: tokens.accessToken });
      expect(again.body.sms).toEqual({ available: true, disabledReason: null });
      expect((await offeredMethods(user)).types).toContain('sms');
    });

    it('is for operators only: a tenant admin gets 403', async () => {
      const tenant = await platform.auth.newTenant();
      const admin = await platform.auth.newUser({ tenant, role: 'admin' });
      const user = await userWithPhone({ tenant });
      const adminToken = (await platform.login(admin)).accessToken;
      const answer = await lineCancelled(user.id, {}, adminToken);
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe('forbidden');
      expect((await stored(user)).smsDisabledAt).toBeNull();
    });
  });

  describe('removing the phone', () => {
    it('switches SMS codes off and tells the user at their contact e-mail', async () => {
      const user = await userWithPhone({ language: 'ja' });
      const tokens = await platform.login(user, { method: 'email' });
      expectStatus(
        await platform.api('PATCH', '/me', { token: tokens.accessToken, body: { phone: null } }),
        200,
      );

      const row = await stored(user);
      expect(row.phone).toBeNull();
      expect(row.smsDisabledReason).toBe('phone_removed');
      const notices = await platform.auth.queued('email', { userId: user.id, template: 'sms-disabled' });
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({
        to: [user.email],
        language: 'ja',
        params: { reason: 'phone_removed' },
      });
      const events = await platform.auth.auditEvents({ targetId: user.id, type: 'auth.mfa.sms_disabled' });
      expect(events.map((e) => [e.actor.userId, e.reasons])).toEqual([[user.id, ['phone_removed']]]);
    });
  });

  describe('MFA reset by an operator', () => {
    interface Enrolled {
      user: UserFixture;
      tenant: TenantFixture;
      deviceToken: string;
      ip: string;
    }

    /** A user with an authenticator app, an approver app, a passkey and a trusted browser. */
    async function enrolledUser(): Promise<Enrolled> {
      const tenant = await platform.auth.newTenant({ name: `株式会社テスト ${randomId(6)}` });
      const user = await platform.auth.newUser({
        tenant,
        phone: PHONE,
        mfaRequired: true,
        familyName: '佐藤',
        givenName: '花子',
      });
      const ip = '198.51.100.23';
      const tokens = await platform.login(user, { method: 'email', trustBrowser: 'Office PC', ip });
      if (!tokens.deviceToken) {
        throw new Error('no device token');
      }
      const now = platform.auth.clock.now();
      await platform.auth.dataSource.query(
        `INSERT INTO auth.totp_credential (user_id, secret_enc, created_at, enabled_at) VALUES ($1, 'x', $2, $2)`,
        [user.id, now],
      );
      await platform.auth.dataSource.query(
        `INSERT INTO auth.push_approver (id, user_id, name, token_hmac, created_at) VALUES ($1, $2, 'Phone', $3, $4)`,
        [randomUUID(), user.id, randomId(32), now],
      );
      await platform.auth.dataSource.query(
        `INSERT INTO auth.passkey (id, user_id, credential_id, public_key, name, created_at)
         VALUES ($1, $2, $3, '\\x00', 'Phone', $4)`,
        [randomUUID(), user.id, randomId(32), now],
      );
      // The trusted browser skips the second step before the reset.
      const skipped = await platform.passwordStep(user, { deviceToken: tokens.deviceToken, ip });
      expect(skipped.status).toBe('authenticated');
      return { user, tenant, deviceToken: tokens.deviceToken, ip };
    }

    function identity(e: Enrolled): Record<string, unknown> {
      return {
        caseNumber: 'CS0000123',
        email: e.user.email.toUpperCase(),
        familyName: ' 佐藤 ',
        givenName: '花子',
        company: e.tenant.name,
        phone: '090-1234-5678',
      };
    }

    async function mfaState(user: UserFixture) {
      const [row] = await platform.auth.dataSource.query(
        `SELECT u.credential_version,
           (SELECT count(*)::int FROM auth.totp_credential t WHERE t.user_id = u.id) AS totp,
           (SELECT count(*)::int FROM auth.push_approver p WHERE p.user_id = u.id AND p.revoked_at IS NULL) AS approvers,
           (SELECT count(*)::int FROM auth.passkey k WHERE k.user_id = u.id) AS passkeys
         FROM auth.app_user u WHERE u.id = $1`,
        [user.id],
      );
      return row as { credential_version: number; totp: number; approvers: number; passkeys: number };
    }

    it('refuses a wrong identity with 422, names the fields, changes nothing and audits the refusal', async () => {
      const e = await enrolledUser();
      const before = await mfaState(e.user);
      const answer = await mfaReset(
        e.user.id,
        { ...identity(e), company: 'Another Corporation', phone: '090-0000-0000' },
        await operatorToken(),
      );
      expect(answer.status).toBe(422);
      expect(answer.body.error.code).toBe('identity_check_failed');
      expect(answer.body.error.details.fields).toEqual(['company', 'phone']);

      expect(await mfaState(e.user)).toEqual(before);
      expect(before).toMatchObject({ totp: 1, approvers: 1, passkeys: 1 });
      expect((await platform.passwordStep(e.user, { deviceToken: e.deviceToken, ip: e.ip })).status).toBe(
        'authenticated',
      );
      expect(await platform.auth.queued('email', { userId: e.user.id, template: 'mfa-reset' })).toHaveLength(
        0,
      );
      const refused = await platform.auth.auditEvents({
        targetId: e.user.id,
        type: 'auth.mfa.reset_refused',
      });
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({ actor: { userId: operator.id }, outcome: 'denied' });
      expect(refused[0].reasons).toEqual(['company', 'phone', 'case:CS0000123']);
      expect(JSON.stringify(refused[0])).not.toContain('Another Corporation');
      expect(await platform.auth.auditEvents({ targetId: e.user.id, type: 'auth.mfa.reset' })).toHaveLength(
        0,
      );
    });

    it('with the right identity: removes the app and passkeys, revokes approvers, voids trusted browsers, audits, tells the user', async () => {
      const e = await enrolledUser();
      const before = await mfaState(e.user);
      await platform.auth.dataSource.query(
        `UPDATE auth.app_user SET sms_disabled_at = $2, sms_disabled_reason = 'line_cancelled' WHERE id = $1`,
        [e.user.id, platform.auth.clock.now()],
      );

      expectStatus(await mfaReset(e.user.id, identity(e), await operatorToken()), 204);

      expect(await mfaState(e.user)).toEqual({
        credential_version: before.credential_version + 1,
        totp: 0,
        approvers: 0,
        passkeys: 0,
      });
      // AUTH-9: the trusted browser no longer skips the second step.
      const next = await platform.passwordStep(e.user, { deviceToken: e.deviceToken, ip: e.ip });
      expect(next.status).toBe('second_factor_required');
      // The phone was confirmed with the caller: SMS codes are back on.
      expect((await stored(e.user)).smsDisabledAt).toBeNull();

      const notices = await platform.auth.queued('email', { userId: e.user.id, template: 'mfa-reset' });
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({
        to: [e.user.email],
        language: 'ja',
        params: { caseNumber: 'CS0000123' },
      });
      const events = await platform.auth.auditEvents({ targetId: e.user.id, type: 'auth.mfa.reset' });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        actor: { userId: operator.id },
        target: { type: 'user', id: e.user.id },
        outcome: 'success',
        reasons: ['case:CS0000123'],
        tenants: [e.tenant.number],
      });
    });

    it('leaves SMS off after a cancelled line when the phone was not confirmed', async () => {
      const e = await enrolledUser();
      expectStatus(await lineCancelled(e.user.id, {}, await operatorToken()), 204);
      const withoutPhone = { ...identity(e) };
      delete withoutPhone.phone;
      expectStatus(await mfaReset(e.user.id, withoutPhone, await operatorToken()), 204);
      expect((await stored(e.user)).smsDisabledReason).toBe('line_cancelled');
    });

    it('needs the operator’s fresh second step', async () => {
      const e = await enrolledUser();
      const before = await mfaState(e.user);
      const token = await operatorToken();
      platform.staleSecondStep();
      const refused = await mfaReset(e.user.id, identity(e), token);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('step_up_required');
      expect(await mfaState(e.user)).toEqual(before);

      const fresh = await platform.stepUp(operator, refused);
      expectStatus(await mfaReset(e.user.id, identity(e), fresh.accessToken), 204);
      expect((await mfaState(e.user)).credential_version).toBe(before.credential_version + 1);
    });

    it('is for operators only: a tenant admin of the user’s tenant gets 403 and nothing changes', async () => {
      const e = await enrolledUser();
      const admin = await platform.auth.newUser({ tenant: e.tenant, role: 'admin' });
      const adminToken = (await platform.login(admin)).accessToken;
      const before = await mfaState(e.user);
      const answer = await mfaReset(e.user.id, identity(e), adminToken);
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe('forbidden');
      expect(await mfaState(e.user)).toEqual(before);
      expect(await platform.auth.auditEvents({ targetId: e.user.id, type: 'auth.mfa.reset' })).toHaveLength(
        0,
      );
    });

    it('does not let an operator reset their own MFA', async () => {
      const own = await mfaReset(
        operator.id,
        { caseNumber: 'CS0000124', email: operator.email, familyName: 'Sato', company: 'Any' },
        await operatorToken(),
      );
      expect(own.status).toBe(403);
      expect(own.body.error.code).toBe('forbidden');
    });

    it('refuses a malformed case number with 400, and an unknown user with 404', async () => {
      const e = await enrolledUser();
      const token = await operatorToken();
      const malformed = await mfaReset(
        e.user.id,
        { ...identity(e), caseNumber: 'call 090-1234-5678' },
        token,
      );
      expect(malformed.status).toBe(400);
      expect(Object.keys(malformed.body.error.details.fields)).toContain('caseNumber');
      expect((await mfaReset(randomUUID(), identity(e), token)).status).toBe(404);
    });
  });
});
