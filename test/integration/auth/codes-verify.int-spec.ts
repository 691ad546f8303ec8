import {
  AuthenticatedResult,
  ChallengeResult,
  LoginResult,
  SecondFactorRequiredResult,
} from '@app/contracts';
import { randomId } from '@app/testing';
import { LOCK_DURATION_MS } from '@app/auth/lockout/lockout.service';
import { LoginController } from '@app/auth/login-flow/login.controller';
import { AuthTestApp, otherCode, Outcome, UserFixture } from './auth-test-app';

/** AUTH-6: security codes by SMS or e-mail, single use, short-lived, bound to their flow. */
describe('security codes (AUTH-6)', () => {
  let t: AuthTestApp;
  let controller: LoginController;

  beforeAll(async () => {
    t = await AuthTestApp.create();
    controller = t.get(LoginController);
  });
  afterAll(async () => {
    await t.close();
  });

  async function admin(options: { phone?: string | null } = {}): Promise<UserFixture> {
    const tenant = await t.newTenant();
    return t.newUser({
      phone: options.phone === undefined ? '+819012345678' : options.phone,
      tenant,
      role: 'admin',
    });
  }

  async function startFlow(user: UserFixture): Promise<string> {
    const res = await t.call((ctx) =>
      controller.password({ ctx, data: { userId: user.userId, password: user.password! } }),
    );
    if (!res.ok || res.value.status !== 'second_factor_required') {
      throw new Error(`expected a second step, got ${JSON.stringify(res)}`);
    }
    return (res.value as SecondFactorRequiredResult).flowId;
  }

  const challenge = (
    flowId: string,
    method: 'sms' | 'email' | 'push',
    requestId?: string,
  ): Promise<Outcome<ChallengeResult>> =>
    t.call((ctx) => controller.challenge({ ctx, data: { flowId, method } }), requestId ? { requestId } : {});
  const verify = (
    flowId: string,
    method: 'sms' | 'email' | 'totp',
    code?: string,
  ): Promise<Outcome<LoginResult>> =>
    t.call((ctx) => controller.verify({ ctx, data: { flowId, method, code } }));

  /**
   * The lockout notices queued for a user (the notice is not awaited by the answer): waits until
   * `atLeast` are there, or a second, so a test expecting fewer sees any extra one that was queued.
   */
  async function lockNotices(userId: string, atLeast: number) {
    let notices = await t.queued('email', { userId, template: 'account-locked' });
    for (let i = 0; i < 50 && notices.length < atLeast; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      notices = await t.queued('email', { userId, template: 'account-locked' });
    }
    return notices;
  }

  it('lets exactly 1 of 50 concurrent verifies of one valid code through', async () => {
    const user = await admin();
    const flowId = await startFlow(user);
    expect(await challenge(flowId, 'sms')).toMatchObject({ ok: true });
    const code = await t.lastCode(user.id, 'sms');

    const outcomes = await Promise.all(Array.from({ length: 50 }, () => verify(flowId, 'sms', code)));

    const wins = outcomes.filter((o) => o.ok);
    expect(wins).toHaveLength(1);
    for (const o of outcomes.filter((x) => !x.ok)) {
      expect(o).toMatchObject({ ok: false, status: 410 });
      expect(['code_expired', 'flow_expired']).toContain((o as { body: { code: string } }).body.code);
    }
    const sessions = await t.dataSource.query(
      `SELECT second_factor_at FROM auth.session WHERE user_id = $1`,
      [user.id],
    );
    expect(sessions).toHaveLength(1);
    expect(new Date(sessions[0].second_factor_at).getTime()).toBe(t.clock.now().getTime());
    const won = (wins[0] as { value: AuthenticatedResult }).value;
    expect(won.status).toBe('authenticated');
    // Single use: the same code once more is refused.
    expect(await verify(flowId, 'sms', code)).toMatchObject({ ok: false, status: 410 });
  });

  it.each([
    { label: 'e-mail', channel: 'email', minutes: 5 },
    { label: 'SMS', channel: 'sms', minutes: 10 },
  ] as const)(
    'keeps an $label code valid until one second before $minutes minutes and refuses it at $minutes',
    async ({ channel, minutes }) => {
      const user = await admin();
      const early = await startFlow(user);
      const sent = await challenge(early, channel);
      expect(sent).toMatchObject({ ok: true, value: { method: channel, resendAfter: 30 } });
      expect(new Date((sent as { value: ChallengeResult }).value.expiresAt).getTime()).toBe(
        t.clock.now().getTime() + minutes * 60 * 1000,
      );
      const earlyCode = await t.lastCode(user.id, channel);
      t.clock.advance(minutes * 60 * 1000 - 1000);
      expect(await verify(early, channel, earlyCode)).toMatchObject({
        ok: true,
        value: { status: 'authenticated' },
      });

      const late = await startFlow(user);
      await challenge(late, channel);
      const lateCode = await t.lastCode(user.id, channel);
      t.clock.advance(minutes * 60 * 1000);
      expect(await verify(late, channel, lateCode)).toEqual({
        ok: false,
        status: 410,
        body: { code: 'code_expired' },
      });
    },
  );

  it('refuses a resend before 30 s; after 30 s sends a new code and voids the old one', async () => {
    const user = await admin();
    const flowId = await startFlow(user);
    await challenge(flowId, 'sms');
    const first = await t.lastCode(user.id, 'sms');

    t.clock.advance(29 * 1000);
    expect(await challenge(flowId, 'sms')).toEqual({
      ok: false,
      status: 429,
      body: { code: 'resend_too_soon', details: { retryAfter: 1 } },
    });
    // Switching channel is a resend too.
    expect(await challenge(flowId, 'email')).toMatchObject({ ok: false, status: 429 });

    let second = first;
    while (second === first) {
      // A new code can repeat the old digits by chance (1 in 10^6); then resend again.
      t.clock.advance(30 * 1000);
      expect(await challenge(flowId, 'sms')).toMatchObject({ ok: true });
      second = await t.lastCode(user.id, 'sms');
    }
    expect(await verify(flowId, 'sms', first)).toEqual({
      ok: false,
      status: 401,
      body: { code: 'invalid_code', details: { attemptsLeft: 2 } },
    });
    const voided = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM auth.security_code WHERE flow_id = $1 AND voided_at IS NOT NULL`,
      [flowId],
    );
    expect(voided[0].n).toBeGreaterThanOrEqual(1);
    expect(await verify(flowId, 'sms', second)).toMatchObject({
      ok: true,
      value: { status: 'authenticated' },
    });
  });

  it('voids a code after 3 wrong entries: the right code on the 4th entry is refused', async () => {
    const user = await admin();
    const flowId = await startFlow(user);
    await challenge(flowId, 'email');
    const code = await t.lastCode(user.id, 'email');
    const wrong = otherCode(code);

    expect(await verify(flowId, 'email', wrong)).toEqual({
      ok: false,
      status: 401,
      body: { code: 'invalid_code', details: { attemptsLeft: 2 } },
    });
    expect(await verify(flowId, 'email', wrong)).toEqual({
      ok: false,
      status: 401,
      body: { code: 'invalid_code', details: { attemptsLeft: 1 } },
    });
    expect(await verify(flowId, 'email', wrong)).toEqual({
      ok: false,
      status: 401,
      body: { code: 'invalid_code', details: { attemptsLeft: 0 } },
    });
    expect(await verify(flowId, 'email', code)).toEqual({
      ok: false,
      status: 410,
      body: { code: 'code_expired' },
    });

    // A new code after the resend wait works again.
    t.clock.advance(30 * 1000);
    await challenge(flowId, 'email');
    expect(await verify(flowId, 'email', await t.lastCode(user.id, 'email'))).toMatchObject({ ok: true });
  });

  it('refuses the code of flow A on flow B, and leaves flow A usable', async () => {
    const alice = await admin();
    const bob = await admin();
    const flowA = await startFlow(alice);
    const flowB = await startFlow(bob);
    await challenge(flowA, 'sms');
    await challenge(flowB, 'sms');
    let codeA = await t.lastCode(alice.id, 'sms');
    while (codeA === (await t.lastCode(bob.id, 'sms'))) {
      t.clock.advance(30 * 1000);
      await challenge(flowA, 'sms');
      codeA = await t.lastCode(alice.id, 'sms');
    }

    expect(await verify(flowB, 'sms', codeA)).toEqual({
      ok: false,
      status: 401,
      body: { code: 'invalid_code', details: { attemptsLeft: 2 } },
    });
    // A second flow of the same user does not accept it either.
    const flowA2 = await startFlow(alice);
    t.clock.advance(30 * 1000);
    await challenge(flowA2, 'sms');
    const codeA2 = await t.lastCode(alice.id, 'sms');
    if (codeA2 !== codeA) {
      expect(await verify(flowA2, 'sms', codeA)).toMatchObject({ ok: false, status: 401 });
    }
    expect(await verify(flowA, 'sms', codeA)).toMatchObject({ ok: true, value: { status: 'authenticated' } });
  });

  it('answers unusable channels, unknown and expired flows with their own codes', async () => {
    const noPhone = await admin({ phone: null });
    const flowId = await startFlow(noPhone);
    expect(await challenge(flowId, 'sms')).toEqual({
      ok: false,
      status: 422,
      body: { code: 'sms_unavailable' },
    });
    expect(await challenge(flowId, 'push')).toEqual({
      ok: false,
      status: 422,
      body: { code: 'method_not_available' },
    });

    const tenant = await t.newTenant();
    const bounced = await t.newUser({
      emailUndeliverable: true,
      tenant,
      role: 'admin',
    });
    expect(await challenge(await startFlow(bounced), 'email')).toEqual({
      ok: false,
      status: 422,
      body: { code: 'email_unavailable' },
    });

    expect(await challenge('not-a-uuid', 'email')).toEqual({
      ok: false,
      status: 410,
      body: { code: 'flow_expired' },
    });
    expect(await challenge('7a1c7bd2-4b55-4a53-9b43-000000000000', 'email')).toEqual({
      ok: false,
      status: 410,
      body: { code: 'flow_expired' },
    });
    expect(await verify('not-a-uuid', 'email', '123456')).toEqual({
      ok: false,
      status: 410,
      body: { code: 'flow_expired' },
    });

    // Nothing sent yet: no code to check.
    expect(await verify(flowId, 'email', '123456')).toEqual({
      ok: false,
      status: 410,
      body: { code: 'code_expired' },
    });

    t.clock.advance(15 * 60 * 1000);
    expect(await challenge(flowId, 'email')).toEqual({
      ok: false,
      status: 410,
      body: { code: 'flow_expired' },
    });
    expect(await verify(flowId, 'email', '123456')).toEqual({
      ok: false,
      status: 410,
      body: { code: 'flow_expired' },
    });
  });

  it('queues the code as a priority job in the user language and audits it without the code', async () => {
    const user = await admin();
    const flowId = await startFlow(user);
    const requestId = `codes-${randomId(8)}`;
    const res = await challenge(flowId, 'email', requestId);
    const sent = (res as { value: ChallengeResult }).value;
    expect(sent).toMatchObject({ method: 'email', resendAfter: 30, sentAt: t.clock.now().toISOString() });
    expect(sent.destination).toMatch(/^m\*\*\*@example\.com$/);

    const jobs = await t.queued('email', { userId: user.id, template: 'security-code' });
    expect(jobs).toHaveLength(1);
    const job = jobs[0];
    expect(job).toMatchObject({
      channel: 'email',
      template: 'security-code',
      language: 'ja',
      to: [user.email],
      params: { code: expect.stringMatching(/^\d{6}$/), expiresInMinutes: 5 },
      expiresAt: sent.expiresAt,
      correlationId: requestId,
      userId: user.id,
    });
    const [row] = await t.dataSource.query(
      `SELECT code_hmac, attempts_left FROM auth.security_code WHERE flow_id = $1`,
      [flowId],
    );
    expect(row.code_hmac).not.toContain(job.params.code);
    expect(row.attempts_left).toBe(3);

    const events = await t.auditEvents({ correlationId: requestId });
    const event = events.find((e) => e.type === 'auth.second_factor.code_sent');
    expect(event).toMatchObject({ actor: { userId: user.id }, reasons: ['email'], outcome: 'info' });
    expect(JSON.stringify(events)).not.toContain(job.params.code);
    expect(JSON.stringify(events)).not.toContain(user.email);
  });

  it('locks the account after 10 wrong codes in a row and then refuses verify with 423', async () => {
    const user = await admin();
    const flowId = await startFlow(user);
    for (let round = 0; round < 4; round++) {
      t.clock.advance(30 * 1000);
      await challenge(flowId, 'sms');
      const code = await t.lastCode(user.id, 'sms');
      for (let i = 0; i < 3 && round * 3 + i < 10; i++) {
        expect(await verify(flowId, 'sms', otherCode(code))).toMatchObject({ ok: false, status: 401 });
      }
    }
    // The owner was told once, at the account's address, when the ID unlocks (NOTIF-3), as after
    // wrong passwords: the notice is queued once the lock has committed, not awaited by the answer.
    const lockedAt = t.clock.now().getTime();
    const notices = await lockNotices(user.id, 1);
    expect(notices).toHaveLength(1);
    expect(notices[0].to).toEqual([user.email]);
    expect(new Date(notices[0].params.until).getTime()).toBe(lockedAt + LOCK_DURATION_MS);
    t.clock.advance(30 * 1000);
    // A locked account gets no new code…
    expect(await challenge(flowId, 'sms')).toEqual({
      ok: false,
      status: 423,
      body: { code: 'account_locked', details: { retryAfter: 20 * 60 - 30 } },
    });
    // …and the code it still holds is refused.
    expect(await verify(flowId, 'sms', await t.lastCode(user.id, 'sms'))).toMatchObject({
      ok: false,
      status: 423,
      body: { code: 'account_locked', details: { retryAfter: expect.any(Number) } },
    });
  });

  it('evaluates at most 10 wrong codes of 36 fired at once across 12 flows, then refuses even the right code', async () => {
    const user = await admin();
    // 13 flows opened with the password before any wrong code; each gets its own code.
    const flows: { id: string; code: string }[] = [];
    for (let i = 0; i < 13; i++) {
      const id = await startFlow(user);
      expect(await challenge(id, 'sms')).toMatchObject({ ok: true });
      flows.push({ id, code: await t.lastCode(user.id, 'sms') });
    }
    const [spare, ...attacked] = flows;

    // 3 wrong codes on each of 12 flows, all at once: the per-flow locks do not serialise them.
    const outcomes = await Promise.all(
      attacked.flatMap((f) => Array.from({ length: 3 }, () => verify(f.id, 'sms', otherCode(f.code)))),
    );

    const byStatus = outcomes.reduce<Record<number, number>>((acc, o) => {
      const status = o.ok ? 200 : o.status;
      acc[status] = (acc[status] ?? 0) + 1;
      return acc;
    }, {});
    expect(byStatus).toEqual({ 401: 10, 423: 26 });
    for (const o of outcomes) {
      if (!o.ok && o.status === 423) {
        expect(o.body).toEqual({ code: 'account_locked', details: { retryAfter: 20 * 60 } });
      }
    }
    // What the database shows agrees: 10 entries used up across the codes, 10 counted, locked.
    const [{ used }] = await t.dataSource.query(
      `SELECT coalesce(sum(3 - attempts_left), 0)::int AS used FROM auth.security_code WHERE flow_id = ANY($1::uuid[])`,
      [attacked.map((f) => f.id)],
    );
    expect(used).toBe(10);
    const [throttle] = await t.dataSource.query(
      `SELECT code_failures, locked_until FROM auth.login_throttle WHERE key = $1`,
      [user.userIdKey],
    );
    expect(throttle.code_failures).toBe(10);
    expect(new Date(throttle.locked_until).getTime()).toBe(t.clock.now().getTime() + 20 * 60 * 1000);
    // One lock, one notice to the owner, however many wrong codes raced for it.
    expect(await lockNotices(user.id, 2)).toHaveLength(1);

    // The right code of a flow opened before the lock no longer starts a session…
    expect(await verify(spare.id, 'sms', spare.code)).toEqual({
      ok: false,
      status: 423,
      body: { code: 'account_locked', details: { retryAfter: 20 * 60 } },
    });
    // …nor does a locked ID get new codes sent.
    expect(await challenge(spare.id, 'email')).toEqual({
      ok: false,
      status: 423,
      body: { code: 'account_locked', details: { retryAfter: 20 * 60 } },
    });
    const sessions = await t.dataSource.query(`SELECT id FROM auth.session WHERE user_id = $1`, [user.id]);
    expect(sessions).toHaveLength(0);

    // Each evaluated failure and the one lock are in the audit trail; the refusals too.
    const events = await t.auditEvents({ actorUserId: user.id });
    expect(events.filter((e) => e.type === 'auth.second_factor.failed')).toHaveLength(10);
    expect(events.filter((e) => e.type === 'auth.login.locked_out')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'auth.login.refused_locked')).toHaveLength(27);
  });

  it('commits a code failure and the lock it causes with their audit events, or neither', async () => {
    const user = await admin();
    const flowId = await startFlow(user);
    // 9 wrong codes in a row: 3 codes of 3 entries each.
    for (let round = 0; round < 3; round++) {
      t.clock.advance(30 * 1000);
      await challenge(flowId, 'sms');
      const code = await t.lastCode(user.id, 'sms');
      for (let i = 0; i < 3; i++) {
        expect(await verify(flowId, 'sms', otherCode(code))).toMatchObject({ ok: false, status: 401 });
      }
    }
    t.clock.advance(30 * 1000);
    await challenge(flowId, 'sms');
    const code = await t.lastCode(user.id, 'sms');
    const throttle = async () =>
      (
        await t.dataSource.query(
          `SELECT code_failures, locked_until FROM auth.login_throttle WHERE key = $1`,
          [user.userIdKey],
        )
      )[0] as { code_failures: number; locked_until: Date | null };
    expect(await throttle()).toEqual({ code_failures: 9, locked_until: null });

    // The 10th wrong code cannot write its `locked_out` event: nothing of it may stay.
    const allow = await t.refuseAuditWrites(user.id, 'auth.login.locked_out');
    try {
      await expect(verify(flowId, 'sms', otherCode(code))).rejects.toThrow();
    } finally {
      await allow();
    }
    expect(await throttle()).toEqual({ code_failures: 9, locked_until: null });
    const [row] = await t.dataSource.query(
      `SELECT attempts_left FROM auth.security_code WHERE flow_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [flowId],
    );
    expect(row.attempts_left).toBe(3);

    // Written, it commits with the count and the lock.
    expect(await verify(flowId, 'sms', otherCode(code))).toMatchObject({ ok: false, status: 401 });
    expect((await throttle()).code_failures).toBe(10);
    expect(await t.auditEvents({ actorUserId: user.id, type: 'auth.login.locked_out' })).toHaveLength(1);
    expect(await t.auditEvents({ targetId: flowId, type: 'auth.second_factor.failed' })).toHaveLength(10);
  });
});
