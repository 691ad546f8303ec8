import { AuthenticatedResult, revokedSessionKey } from '@app/contracts';
import { randomId } from '@app/testing';
import { LoginController } from '@app/auth/login-flow/login.controller';
import { PasswordResetController } from '@app/auth/password-reset/password-reset.controller';
import { SessionRevocationRemarker } from '@app/auth/sessions/session-revocation.remarker';
import { SessionsController } from '@app/auth/sessions/sessions.controller';
import { AuthTestApp, UserFixture } from './auth-test-app';
import { TcpProxy } from './tcp-proxy';

/**
 * A reset request answers in tens of milliseconds. One that waited for its e-mail to be queued in a
 * stalled Redis would answer only when the queue gives up (2 s and more) or never: the bound sits
 * between, generous for a loaded machine.
 */
const RESET_ANSWER_WITHIN_MS = 1000;
/** A logout whose Redis mark fails must still answer, once the mark's bounded retries are spent. */
const LOGOUT_ANSWER_WITHIN_MS = 5000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** A revocation mark lives as long as an access token (15 min) plus a minute of clock skew. */
const MARK_TTL_SECONDS = 15 * 60 + 60;

/** `promise`, or a failure when it has not settled within `ms` of real time. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Retries `fn` until it resolves (a client reconnecting after an outage), for at most 10 s. */
async function eventually<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * The auth service when its Redis stalls, goes away or loses data (AUTH-15, AUTH-16). Its Redis
 * connections go through a TcpProxy this file controls; the test reads the real Redis directly.
 *
 * The app's clock starts 30 days back: every app of every file re-marks the sessions revoked in the
 * last ~16 minutes of its own clock, and the others' clocks (now or later) never reach back to the
 * sessions this file revokes, so what this file sees of the marks is its own doing. Its own
 * background pass is stopped; the tests run passes themselves.
 */
describe('auth with Redis stalled, down or emptied', () => {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  let proxy: TcpProxy;
  let t: AuthTestApp;
  let remarker: SessionRevocationRemarker;

  beforeAll(async () => {
    proxy = await TcpProxy.start(redisUrl);
    t = await AuthTestApp.create({
      startAt: new Date(Date.now() - 30 * DAY_MS),
      config: { REDIS_URL: proxy.urlFor(redisUrl) },
    });
    remarker = t.get(SessionRevocationRemarker);
    await remarker.beforeApplicationShutdown();
  });
  afterEach(async () => {
    proxy.resume();
    await proxy.up();
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
  });

  const markKey = (sessionId: string) => revokedSessionKey(t.redisPrefix, sessionId);

  /** A logged-in session of `user` (no second step owed): its id and tokens. */
  async function loggedIn(user: UserFixture): Promise<{ sessionId: string; tokens: AuthenticatedResult }> {
    const res = await t.call((ctx) =>
      t.get(LoginController).password({ ctx, data: { userId: user.userId, password: user.password! } }),
    );
    if (!res.ok || res.value.status !== 'authenticated') {
      throw new Error(`expected tokens, got ${JSON.stringify(res)}`);
    }
    const tokens = res.value as AuthenticatedResult;
    // A refresh token is `<session id>.<secret>`.
    return { sessionId: tokens.refreshToken.split('.')[0], tokens };
  }

  const logout = (user: UserFixture, sessionId: string) =>
    t.call((ctx) => t.get(SessionsController).logout({ ctx, data: {} }), {
      principal: t.principalOf(user, { sessionId }),
    });

  it('answers a reset request for a matching pair without waiting for the e-mail queue, and queues it once Redis is back', async () => {
    const reset = t.get(PasswordResetController);
    const user = await t.newUser({ password: null });
    const request = (userId: string, email: string) =>
      within(RESET_ANSWER_WITHIN_MS, reset.request(t.envelope({ userId, email })));

    proxy.stall();
    // Both branches answer while Redis cannot take a job: the match does not wait for its e-mail.
    expect(await request(user.userId, `nobody-${randomId()}@example.test`)).toEqual({ status: 'accepted' });
    expect(await request(user.userId, user.email)).toEqual({ status: 'accepted' });
    const tokens = await t.dataSource.query(`SELECT id FROM auth.password_reset_token WHERE user_id = $1`, [
      user.id,
    ]);
    expect(tokens).toHaveLength(1);

    proxy.resume();
    expect((await t.queued('email', { to: user.email })).map((m) => m.template)).toEqual([
      'password-reset-link',
    ]);
  });

  it('answers service_unavailable when the revocation mark cannot be written, and re-marks once Redis is back', async () => {
    const user = await t.newUser({ tenant: await t.newTenant(), role: 'user' });
    const { sessionId, tokens } = await loggedIn(user);

    // BullMQ reports every failed reconnect of the queue connection on the console; expected here.
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await proxy.down();
      // The session is ended in the database; the caller is told the service could not finish.
      expect(await within(LOGOUT_ANSWER_WITHIN_MS, logout(user, sessionId))).toEqual({
        ok: false,
        status: 503,
        body: { code: 'service_unavailable' },
      });
      const [row] = await t.dataSource.query(`SELECT revoke_reason FROM auth.session WHERE id = $1`, [
        sessionId,
      ]);
      expect(row.revoke_reason).toBe('logout');
      expect(
        await t.call((ctx) =>
          t.get(SessionsController).refresh({ ctx, data: { refreshToken: tokens.refreshToken } }),
        ),
      ).toMatchObject({ ok: false, status: 401 });

      await proxy.up();
      expect(await t.redis.get(markKey(sessionId))).toBeNull();
      // The next pass of the re-marker (run here rather than waiting 30 s) puts the mark back.
      await eventually(() => remarker.remarkRecent());
    } finally {
      quiet.mockRestore();
    }
    expect(await t.redis.get(markKey(sessionId))).toBe('1');
  });

  it('re-marks recently revoked sessions whose marks were lost, leaves present marks and long-revoked sessions alone', async () => {
    const user = await t.newUser({ tenant: await t.newTenant(), role: 'user' });
    const [lost, kept, old] = [await loggedIn(user), await loggedIn(user), await loggedIn(user)].map(
      (s) => s.sessionId,
    );
    for (const sid of [lost, kept, old]) {
      expect(await logout(user, sid)).toEqual({ ok: true, value: {} });
    }
    // Revoked a day ago, far beyond a mark's lifetime: no access token of it can be alive.
    await t.dataSource.query(`UPDATE auth.session SET revoked_at = $2 WHERE id = $1`, [
      old,
      new Date(t.clock.now().getTime() - DAY_MS),
    ]);
    // A Redis blip (or a restart without persistence) loses two of the marks.
    await t.redis.del(markKey(lost), markKey(old));

    t.clock.advance(60 * 1000);
    expect(await remarker.remarkRecent()).toBeGreaterThanOrEqual(2);

    expect(await t.redis.get(markKey(lost))).toBe('1');
    // For what is left of the mark's lifetime, not a fresh one.
    expect(await t.redis.ttl(markKey(lost))).toBeLessThanOrEqual(MARK_TTL_SECONDS - 60);
    expect(await t.redis.ttl(markKey(lost))).toBeGreaterThan(MARK_TTL_SECONDS - 60 - 10);
    // A mark that is there keeps the lifetime it was given.
    expect(await t.redis.ttl(markKey(kept))).toBeGreaterThan(MARK_TTL_SECONDS - 10);
    expect(await t.redis.get(markKey(old))).toBeNull();
  });
});
