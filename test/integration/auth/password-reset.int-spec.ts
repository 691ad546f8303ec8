import {
  DomainError,
  ErrorCode,
  normalizeUserId,
  NotificationJobData,
  SecondFactorRequiredResult,
} from '@app/contracts';
import { randomId, strongPassword } from '@app/testing';
import { LockoutService } from '@app/auth/lockout/lockout.service';
import { LoginController } from '@app/auth/login-flow/login.controller';
import { PasswordHasher } from '@app/auth/password/password-hasher';
import { PasswordResetController } from '@app/auth/password-reset/password-reset.controller';
import {
  RESET_BLOCK_MS,
  RESET_COOLDOWN_MS,
  RESET_TOKEN_TTL_MS,
} from '@app/auth/password-reset/password-reset.service';
import { AuthTestApp, errorOf, UserFixture } from './auth-test-app';

/** AUTH-16 (and AUTH-14) end to end inside the auth service, on the real database and Redis queue. */
describe('Password reset (AUTH-16)', () => {
  let t: AuthTestApp;
  let sut: PasswordResetController;

  beforeAll(async () => {
    t = await AuthTestApp.create();
    sut = t.get(PasswordResetController);
  });
  afterAll(async () => t?.close());

  const request = (userId: string, email: string) => sut.request(t.envelope({ userId, email }));
  const inspect = (token: string) => sut.inspect(t.envelope({ token }));
  const complete = (token: string, newPassword: string) => sut.complete(t.envelope({ token, newPassword }));
  const templates = async (address: string) =>
    (await t.queued('email', { to: address })).map((m) => m.template);
  const tokenOf = (mail: NotificationJobData) => {
    expect(mail.template).toBe('password-reset-link');
    const link = (mail.params as { link: string }).link;
    expect(link).toMatch(/^http:\/\/localhost:3000\/password-reset\/[A-Za-z0-9_-]{43}$/);
    return link.split('/password-reset/')[1];
  };
  async function linkFor(user: UserFixture): Promise<string> {
    await request(user.userId, user.email);
    const mails = await t.queued('email', { to: user.email });
    return tokenOf(mails[mails.length - 1]);
  }

  it('answers identically for an unknown ID, a wrong e-mail, the right pair and a blocked ID; only the e-mail differs', async () => {
    const tenant = await t.newTenant();
    const user = await t.newUser({ tenant, role: 'admin', password: null, language: 'en' });
    const blocked = await t.newUser({ tenant, password: null });
    for (let i = 0; i < 5; i++) {
      await request(blocked.userId, `wrong-${i}@example.test`);
    }
    const stranger = `nobody-${randomId()}@example.test`;

    const answers = [
      await request(`unknown-${randomId()}`, stranger),
      await request(user.userId, stranger),
      await t.inRequest('req-reset-1', () =>
        request(` ${user.userId.toUpperCase()} `, user.email.toUpperCase()),
      ),
      await request(blocked.userId, blocked.email),
    ];

    for (const answer of answers) {
      expect(answer).toStrictEqual({ status: 'accepted' });
    }
    expect(await t.queued('email', { to: stranger })).toEqual([]);
    const [link] = await t.queued('email', { to: user.email });
    expect(link).toMatchObject({
      channel: 'email',
      template: 'password-reset-link',
      language: 'en',
      to: [user.email],
      correlationId: 'req-reset-1',
      userId: user.id,
      tenants: [tenant.number],
    });
    expect(link.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date((link.params as { expiresAt: string }).expiresAt).getTime()).toBe(
      t.clock.now().getTime() + RESET_TOKEN_TTL_MS,
    );
    expect(await templates(blocked.email)).toEqual(['password-reset-refused']);
  });

  it('blocks an ID for 20 minutes after 5 mismatches in a row, telling the real owner by e-mail, then works again', async () => {
    const user = await t.newUser({ password: null });
    // Concurrent mismatches cannot slip a 6th in: the count stops at 5.
    await Promise.all(
      Array.from({ length: 20 }, () => request(user.userId, `wrong-${randomId()}@example.test`)),
    );
    const [guard] = await t.dataSource.query(
      `SELECT mismatches, blocked_until FROM auth.password_reset_guard WHERE key = $1`,
      [user.userIdKey],
    );
    const until = new Date(t.clock.now().getTime() + RESET_BLOCK_MS).toISOString();
    expect(guard).toMatchObject({ mismatches: 5 });
    expect(new Date(guard.blocked_until).toISOString()).toBe(until);

    await request(user.userId, user.email);
    expect(await t.queued('email', { to: user.email })).toMatchObject([
      { template: 'password-reset-refused', params: { until } },
    ]);

    t.clock.advance(RESET_BLOCK_MS - 1000);
    await request(user.userId, user.email);
    expect(await templates(user.email)).toEqual(['password-reset-refused', 'password-reset-refused']);

    t.clock.advance(1000);
    await request(user.userId, user.email);
    expect(await templates(user.email)).toEqual([
      'password-reset-refused',
      'password-reset-refused',
      'password-reset-link',
    ]);
    expect(await t.auditEvents({ type: 'auth.password_reset.blocked', targetId: user.id })).toHaveLength(1);
  });

  it('counts unknown IDs the same way, per normalised ID', async () => {
    const raw = `Ghost-${randomId()}`;
    for (const variant of [raw, raw.toUpperCase(), ` ${raw} `, raw.toLowerCase(), raw]) {
      expect(await request(variant, 'ghost@example.test')).toEqual({ status: 'accepted' });
    }
    const [guard] = await t.dataSource.query(
      `SELECT mismatches, blocked_until FROM auth.password_reset_guard WHERE key = $1`,
      [normalizeUserId(raw)],
    );
    expect(guard.mismatches).toBe(5);
    expect(guard.blocked_until).not.toBeNull();
  });

  it('forgets mismatches after a matching request', async () => {
    const user = await t.newUser({ password: null });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) {
        await request(user.userId, 'someone-else@example.test');
      }
      await request(user.userId, user.email);
    }
    expect(await templates(user.email)).toEqual([
      'password-reset-link',
      'password-reset-link',
      'password-reset-link',
    ]);
  });

  it('sets the password, clears the lockout, ends every session, and tells the user', async () => {
    const tenant = await t.newTenant();
    const user = await t.newUser({ tenant, role: 'admin' });
    const lockout = t.get(LockoutService);
    for (let i = 0; i < 5; i++) {
      await lockout.reserveAttempt(user.userIdKey);
      await lockout.recordFailure(user.userIdKey);
    }
    const now = t.clock.now();
    const sessionId = '7d1c5e6a-1111-4222-8333-' + randomId(12).padEnd(12, '0');
    await t.dataSource.query(
      `INSERT INTO auth.session (id, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)`,
      [sessionId, user.id, now, new Date(now.getTime() + 3_600_000)],
    );
    const token = await linkFor(user);
    expect(await inspect(token)).toEqual({ userId: user.userId, locked: true });

    const newPassword = strongPassword();
    expect(await t.inRequest('req-complete', () => complete(token, newPassword))).toEqual({});

    const [row] = await t.dataSource.query(
      `SELECT password_hash, credential_version FROM auth.app_user WHERE id = $1`,
      [user.id],
    );
    expect(await t.get(PasswordHasher).verify(row.password_hash, newPassword)).toBe(true);
    expect(row.credential_version).toBe(2);
    expect(await lockout.lockedFor(user.userIdKey)).toBeNull();
    const [session] = await t.dataSource.query(
      `SELECT revoked_at, revoke_reason FROM auth.session WHERE id = $1`,
      [sessionId],
    );
    expect(session.revoked_at).not.toBeNull();
    expect(session.revoke_reason).toBe('password_reset');
    expect(await templates(user.email)).toEqual(['password-reset-link', 'password-reset-completed']);
    expect((await t.queued('email', { to: user.email }))[1]).toMatchObject({
      correlationId: 'req-complete',
      language: 'ja',
      params: {},
    });
    // Single use.
    expect((await errorOf(inspect(token))).code).toBe(ErrorCode.ResetTokenInvalid);
    expect((await errorOf(complete(token, strongPassword()))).code).toBe(ErrorCode.ResetTokenInvalid);

    const [event] = await t.auditEvents({ type: 'auth.password_reset.completed', targetId: user.id });
    expect(event).toMatchObject({
      actor: { userId: user.id },
      outcome: 'success',
      tenants: [tenant.number],
      correlationId: 'req-complete',
    });
    // Never an address, password or token in the audit trail.
    const trail = JSON.stringify(await t.auditEvents({ targetId: user.id }));
    for (const secret of [user.email, newPassword, token, user.userId]) {
      expect(trail).not.toContain(secret);
    }
  });

  it('ends the logins waiting for their second step: a code sent before the reset is refused after it', async () => {
    const login = t.get(LoginController);
    const tenant = await t.newTenant();
    // An admin: the second step is always owed (AUTH-5).
    const user = await t.newUser({ tenant, role: 'admin', phone: '+819012345678' });
    const started = await t.call((ctx) =>
      login.password({ ctx, data: { userId: user.userId, password: user.password! } }),
    );
    const flowId = (started as { value: SecondFactorRequiredResult }).value.flowId;
    expect(await t.call((ctx) => login.challenge({ ctx, data: { flowId, method: 'sms' } }))).toMatchObject({
      ok: true,
    });
    const code = await t.lastCode(user.id, 'sms');

    await complete(await linkFor(user), strongPassword());

    expect(await t.call((ctx) => login.verify({ ctx, data: { flowId, method: 'sms', code } }))).toEqual({
      ok: false,
      status: 410,
      body: { code: 'flow_expired' },
    });
    const [flow] = await t.dataSource.query(`SELECT status FROM auth.login_flow WHERE id = $1`, [flowId]);
    expect(flow.status).toBe('expired');
    expect(await t.dataSource.query(`SELECT id FROM auth.session WHERE user_id = $1`, [user.id])).toEqual([]);
  });

  it('refuses a new reset for 24 hours after a completed one, telling the user until when', async () => {
    const user = await t.newUser({ password: null });
    await complete(await linkFor(user), strongPassword());
    const completedAt = t.clock.now();

    t.clock.advance(RESET_COOLDOWN_MS - 1000);
    await request(user.userId, user.email);
    const mails = await t.queued('email', { to: user.email });
    expect(mails[mails.length - 1]).toMatchObject({
      template: 'password-reset-refused',
      params: { until: new Date(completedAt.getTime() + RESET_COOLDOWN_MS).toISOString() },
    });

    t.clock.advance(1000);
    await request(user.userId, user.email);
    expect(await templates(user.email)).toEqual([
      'password-reset-link',
      'password-reset-completed',
      'password-reset-refused',
      'password-reset-link',
    ]);
  });

  it('lets exactly 1 of 20 concurrent uses of one token succeed', async () => {
    const user = await t.newUser({ password: null });
    const token = await linkFor(user);
    const passwords = Array.from({ length: 20 }, () => strongPassword());
    const results = await Promise.allSettled(passwords.map((p) => complete(token, p)));

    const succeeded = results.flatMap((r, i) => (r.status === 'fulfilled' ? [passwords[i]] : []));
    expect(succeeded).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') {
        expect(r.reason).toBeInstanceOf(DomainError);
        expect((r.reason as DomainError).code).toBe(ErrorCode.ResetTokenInvalid);
      }
    }
    const [row] = await t.dataSource.query(
      `SELECT password_hash, credential_version FROM auth.app_user WHERE id = $1`,
      [user.id],
    );
    expect(await t.get(PasswordHasher).verify(row.password_hash, succeeded[0])).toBe(true);
    expect(row.credential_version).toBe(2);
    expect(await t.auditEvents({ type: 'auth.password_reset.completed', targetId: user.id })).toHaveLength(1);
    expect(await templates(user.email)).toEqual(['password-reset-link', 'password-reset-completed']);
  });

  it('reports policy failures as rule ids and leaves the token usable', async () => {
    const user = await t.newUser({ password: null, familyName: 'Kobayakawa' });
    const token = await linkFor(user);

    const weak = await errorOf(complete(token, 'Kobayakawa#2024'));
    expect(weak.code).toBe(ErrorCode.PasswordPolicy);
    expect(weak.details).toEqual({ violations: ['not_weak'] });
    const short = await errorOf(complete(token, 'xq'));
    expect(short.details).toEqual({ violations: ['min_length', 'upper', 'digit', 'symbol'] });

    expect(await inspect(token)).toEqual({ userId: user.userId, locked: false });
    await complete(token, strongPassword());
  });

  it('expires a token after 30 minutes', async () => {
    const user = await t.newUser({ password: null });
    const token = await linkFor(user);
    t.clock.advance(RESET_TOKEN_TTL_MS - 1000);
    expect(await inspect(token)).toEqual({ userId: user.userId, locked: false });
    t.clock.advance(1000);
    expect((await errorOf(inspect(token))).code).toBe(ErrorCode.ResetTokenInvalid);
    expect((await errorOf(complete(token, strongPassword()))).code).toBe(ErrorCode.ResetTokenInvalid);
  });

  it('voids the user’s other links once one is used', async () => {
    const user = await t.newUser({ password: null });
    const first = await linkFor(user);
    const second = await linkFor(user);
    expect(first).not.toBe(second);
    await complete(second, strongPassword());
    expect((await errorOf(inspect(first))).code).toBe(ErrorCode.ResetTokenInvalid);
  });

  it('refuses unknown and malformed tokens alike', async () => {
    for (const token of ['A'.repeat(43), 'short', '../../etc/passwd', '', 'x'.repeat(500)]) {
      expect((await errorOf(inspect(token))).code).toBe(ErrorCode.ResetTokenInvalid);
      expect((await errorOf(complete(token, strongPassword()))).code).toBe(ErrorCode.ResetTokenInvalid);
    }
  });

  it('stores only the HMAC of a token', async () => {
    const user = await t.newUser({ password: null });
    const token = await linkFor(user);
    const rows: { token_hmac: string }[] = await t.dataSource.query(
      `SELECT token_hmac FROM auth.password_reset_token WHERE user_id = $1`,
      [user.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hmac).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].token_hmac).not.toContain(token);
  });
});
