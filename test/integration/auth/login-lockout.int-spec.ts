import { LoginResult } from '@app/contracts';
import { randomId, strongPassword } from '@app/testing';
import { LOCK_DURATION_MS } from '@app/auth/lockout/lockout.service';
import { LoginController } from '@app/auth/login-flow/login.controller';
import { AuthTestApp, Outcome, UserFixture } from './auth-test-app';

/** AUTH-3 through the password step: race-proof count, unknown IDs alike, unlock by time. */
describe('login lockout (AUTH-3)', () => {
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

  /** Case and surrounding spaces make no other ID (AUTH-1), so the variants share one count. */
  const variant = (userId: string, i: number) =>
    [userId, userId.toUpperCase(), `  ${userId} `, `\t${userId.toUpperCase()}`][i % 4];

  const throttle = async (userId: string) =>
    (
      await t.dataSource.query(`SELECT failures, locked_until FROM auth.login_throttle WHERE key = $1`, [
        userId.trim().toLowerCase(),
      ])
    )[0] as { failures: number; locked_until: Date | null };

  /** Answers without the parts that are the same for every caller anyway, sorted for comparison. */
  const answers = (outcomes: Outcome<LoginResult>[]) =>
    outcomes
      .map((o) => (o.ok ? { status: 200, body: o.value } : { status: o.status, body: o.body }))
      .map((a) => JSON.stringify(a))
      .sort();

  async function hammer(userId: string, n: number): Promise<Outcome<LoginResult>[]> {
    return Promise.all(
      Array.from({ length: n }, (_, i) => login(variant(userId, i), `Wrong-password-${i}!`)),
    );
  }

  let known: UserFixture;

  it('lets 0 of 100 concurrent wrong passwords through, stops the count at 5 and locks the ID', async () => {
    const tenant = await t.newTenant();
    known = await t.newUser({ tenant, role: 'user' });

    const outcomes = await hammer(known.userId, 100);

    expect(outcomes.filter((o) => o.ok)).toHaveLength(0);
    const byStatus = outcomes.reduce<Record<number, number>>((acc, o) => {
      const status = o.ok ? 200 : o.status;
      acc[status] = (acc[status] ?? 0) + 1;
      return acc;
    }, {});
    expect(byStatus).toEqual({ 401: 5, 423: 95 });
    for (const o of outcomes) {
      if (!o.ok && o.status === 401) {
        expect(o.body).toEqual({ code: 'invalid_credentials' });
      }
      if (!o.ok && o.status === 423) {
        expect(o.body).toEqual({ code: 'account_locked', details: { retryAfter: 20 * 60 } });
      }
    }
    const row = await throttle(known.userId);
    expect(row.failures).toBe(5);
    expect(new Date(row.locked_until as Date).getTime()).toBe(t.clock.now().getTime() + 20 * 60 * 1000);

    const right = await login(known.userId, known.password!);
    expect(right).toEqual({
      ok: false,
      status: 423,
      body: { code: 'account_locked', details: { retryAfter: 1200 } },
    });
    expect((await throttle(known.userId)).failures).toBe(5);
  });

  it('answers an unknown ID exactly as a known one: same statuses, same bodies, same count', async () => {
    const tenant = await t.newTenant();
    const twin = await t.newUser({ tenant, role: 'user' });
    const unknownId = `nobody-${randomId(8)}@example.com.fm`;

    // Both at the same instant of the injected clock, so even retryAfter must agree.
    const [forKnown, forUnknown] = await Promise.all([hammer(twin.userId, 100), hammer(unknownId, 100)]);

    expect(answers(forUnknown)).toEqual(answers(forKnown));
    expect(forUnknown.filter((o) => o.ok)).toHaveLength(0);
    expect((await throttle(unknownId)).failures).toBe(5);

    const afterKnown = await login(twin.userId, twin.password!);
    const afterUnknown = await login(unknownId, strongPassword());
    expect(afterUnknown).toEqual(afterKnown);
    expect(afterKnown).toMatchObject({ ok: false, status: 423, body: { code: 'account_locked' } });

    // One wrong password each on fresh IDs: 401 with the same body, no hint of existence.
    const fresh = await t.newUser();
    expect(await login(`nobody-${randomId(8)}`, 'Wrong-password-1!')).toEqual(
      await login(fresh.userId, 'Wrong-password-1!'),
    );
  });

  it('unlocks by itself after 20 minutes of the injected clock, with a fresh count of 5', async () => {
    const tenant = await t.newTenant();
    const user = await t.newUser({ tenant, role: 'user' });
    for (let i = 0; i < 5; i++) {
      expect(await login(user.userId, `Wrong-password-${i}!`)).toMatchObject({ ok: false, status: 401 });
    }
    expect(await login(user.userId, user.password!)).toMatchObject({
      status: 423,
      body: { details: { retryAfter: 1200 } },
    });

    t.clock.advance(20 * 60 * 1000 - 1000);
    expect(await login(user.userId, user.password!)).toMatchObject({
      status: 423,
      body: { details: { retryAfter: 1 } },
    });

    t.clock.advance(1000);
    const unlocked = await login(user.userId, user.password!);
    expect(unlocked).toMatchObject({
      ok: true,
      value: { status: 'authenticated', activeTenant: tenant.number },
    });

    // A fresh count: 4 wrong still leave the right password through; the 5th wrong locks again.
    for (let i = 0; i < 4; i++) {
      expect(await login(user.userId, `Wrong-password-${i}!`)).toMatchObject({ status: 401 });
    }
    expect(await login(user.userId, user.password!)).toMatchObject({ ok: true });
    for (let i = 0; i < 5; i++) {
      expect(await login(user.userId, `Wrong-password-${i}!`)).toMatchObject({ status: 401 });
    }
    expect(await login(user.userId, user.password!)).toMatchObject({ status: 423 });
  });

  it('settles a wrong password with its audit event, or not at all', async () => {
    const user = await t.newUser({ tenant: await t.newTenant(), role: 'user' });
    const settled = async () =>
      (
        await t.dataSource.query(
          `SELECT failures, settled_failures FROM auth.login_throttle WHERE key = $1`,
          [user.userIdKey],
        )
      )[0] as { failures: number; settled_failures: number };

    const allow = await t.refuseAuditWrites(user.id, 'auth.login.failed');
    try {
      await expect(login(user.userId, 'Wrong-password-1!')).rejects.toThrow();
    } finally {
      await allow();
    }
    // The reserved try stays counted (AUTH-3: a try that never settles is not free), but the
    // settlement went with its event.
    expect(await settled()).toEqual({ failures: 1, settled_failures: 0 });
    expect(await t.auditEvents({ actorUserId: user.id, type: 'auth.login.failed' })).toHaveLength(0);

    expect(await login(user.userId, 'Wrong-password-2!')).toMatchObject({ ok: false, status: 401 });
    expect(await settled()).toEqual({ failures: 2, settled_failures: 1 });
    expect(await t.auditEvents({ actorUserId: user.id, type: 'auth.login.failed' })).toHaveLength(1);
  });

  it('leaves no try counted when something fails after a right password (the flow cannot be written)', async () => {
    const user = await t.newUser({ tenant: await t.newTenant(), role: 'user', mfaRequired: true });
    const password = user.password as string;
    const allow = await t.refuseAuditWrites(user.id, 'auth.login.second_factor_required');
    try {
      // More failures of ours than the lockout allows wrong passwords: none of them is the user's.
      for (let i = 0; i < 6; i++) {
        await expect(login(user.userId, password)).rejects.toThrow('audit write refused by the test');
      }
    } finally {
      await allow();
    }
    expect(await throttle(user.userId)).toMatchObject({ failures: 0, locked_until: null });
    expect(await login(user.userId, password)).toMatchObject({
      ok: true,
      value: { status: 'second_factor_required' },
    });
  });

  it('writes the failures and the lock to the audit trail, without the password or the login ID', async () => {
    const tenant = await t.newTenant();
    const user = await t.newUser({ tenant, role: 'user' });
    const requestId = `lockout-${randomId(8)}`;
    for (let i = 0; i < 5; i++) {
      await t.call(
        (ctx) => controller.password({ ctx, data: { userId: user.userId, password: 'Wrong-password-9!' } }),
        { requestId },
      );
    }
    await t.call(
      (ctx) => controller.password({ ctx, data: { userId: user.userId, password: user.password! } }),
      {
        requestId,
      },
    );

    const events = await t.auditEvents({ correlationId: requestId });
    expect(events).toHaveLength(7);
    expect(events.filter((e) => e.type === 'auth.login.failed')).toHaveLength(5);
    expect(events.filter((e) => e.type === 'auth.login.locked_out')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'auth.login.refused_locked')).toHaveLength(1);
    for (const e of events) {
      expect(e.actor.userId).toBe(user.id);
      expect(e.tenants).toEqual([tenant.number]);
    }
    // The owner was told once, at the account's address, when the ID unlocks (NOTIF-3).
    const lockedAt = t.clock.now().getTime();
    let notices: Awaited<ReturnType<typeof t.queued<'account-locked'>>> = [];
    for (let i = 0; i < 100 && notices.length === 0; i++) {
      notices = await t.queued('email', { userId: user.id, template: 'account-locked' });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(notices).toHaveLength(1);
    expect(notices[0].to).toEqual([user.email]);
    expect(new Date(notices[0].params.until).getTime()).toBe(lockedAt + LOCK_DURATION_MS);
    const dump = JSON.stringify(events);
    expect(dump).not.toContain('Wrong-password');
    expect(dump).not.toContain(user.password!);
    expect(dump).not.toContain(user.userId);
    expect(dump).not.toContain(user.email);
  });
});
