import { AuthenticatedResult, Principal, revokedSessionKey } from '@app/contracts';
import { verifyRunAccessToken } from '@app/testing';
import { LoginController } from '@app/auth/login-flow/login.controller';
import { SessionsController } from '@app/auth/sessions/sessions.controller';
import { SessionsService } from '@app/auth/sessions/sessions.service';
import { AuthTestApp, Outcome, UserFixture } from './auth-test-app';

/** AUTH-15 sessions: rotation with reuse detection, timeouts, logout with the gateway's Redis mark; AUTH-18 tenant switch. */
describe('sessions and tokens (AUTH-15, AUTH-18)', () => {
  let t: AuthTestApp;
  let loginController: LoginController;
  let sessions: SessionsController;

  beforeAll(async () => {
    t = await AuthTestApp.create();
    loginController = t.get(LoginController);
    sessions = t.get(SessionsController);
  });
  afterAll(async () => {
    await t.close();
  });

  const claims = (token: string) => verifyRunAccessToken(token, t.clock.now());
  /** The principal the gateway would derive from a verified access token. */
  const principalOf = (token: string): Principal => {
    const c = claims(token);
    return {
      id: c.sub,
      sessionId: c.sid,
      tenant: c.tenant,
      role: c.role,
      secondFactorAt: c.sfa ? new Date(c.sfa * 1000).toISOString() : null,
    };
  };
  const refresh = (refreshToken: string): Promise<Outcome<AuthenticatedResult>> =>
    t.call((ctx) => sessions.refresh({ ctx, data: { refreshToken } }));
  const logout = (accessToken: string, all?: boolean) =>
    t.call((ctx) => sessions.logout({ ctx, data: all === undefined ? {} : { all } }), {
      principal: principalOf(accessToken),
    });
  const revokedMark = (sessionId: string) => t.redis.get(revokedSessionKey(t.redisPrefix, sessionId));

  async function loggedIn(user?: UserFixture): Promise<{ user: UserFixture; tokens: AuthenticatedResult }> {
    const u = user ?? (await t.newUser({ tenant: await t.newTenant(), role: 'user' }));
    const res = await t.call((ctx) =>
      loginController.password({ ctx, data: { userId: u.userId, password: u.password! } }),
    );
    if (!res.ok || res.value.status !== 'authenticated') {
      throw new Error(`expected tokens, got ${JSON.stringify(res)}`);
    }
    return { user: u, tokens: res.value as AuthenticatedResult };
  }

  it('rotates the refresh token: a new pair each time, the session kept alive', async () => {
    const { tokens } = await loggedIn();
    const sid = claims(tokens.accessToken).sid;
    t.clock.advance(10 * 60 * 1000);

    const first = await refresh(tokens.refreshToken);
    expect(first).toMatchObject({ ok: true, value: { status: 'authenticated', expiresIn: 900 } });
    const next = (first as { value: AuthenticatedResult }).value;
    expect(next.refreshToken).not.toBe(tokens.refreshToken);
    expect(claims(next.accessToken).sid).toBe(sid);
    const [session] = await t.dataSource.query(`SELECT last_seen_at FROM auth.session WHERE id = $1`, [sid]);
    expect(new Date(session.last_seen_at).getTime()).toBe(t.clock.now().getTime());

    expect(await refresh((next as AuthenticatedResult).refreshToken)).toMatchObject({ ok: true });
  });

  it('ends the whole session when an old refresh token is reused: the newest one is refused too', async () => {
    const { user, tokens } = await loggedIn();
    const sid = claims(tokens.accessToken).sid;
    const rotated = (await refresh(tokens.refreshToken)) as { ok: true; value: AuthenticatedResult };
    expect(rotated.ok).toBe(true);
    // Past the grace in which the same client racing itself gets the same successor again.
    t.clock.advance(11_000);

    const requestId = `reuse-${sid}`;
    const reused = await t.call(
      (ctx) => sessions.refresh({ ctx, data: { refreshToken: tokens.refreshToken } }),
      { requestId },
    );
    expect(reused).toEqual({ ok: false, status: 401, body: { code: 'refresh_token_reused' } });

    expect(await refresh(rotated.value.refreshToken)).toMatchObject({ ok: false, status: 401 });
    const [session] = await t.dataSource.query(`SELECT revoke_reason FROM auth.session WHERE id = $1`, [sid]);
    expect(session.revoke_reason).toBe('refresh_reuse');
    expect(await revokedMark(sid)).toBe('1');

    const events = await t.auditEvents({ correlationId: requestId });
    const event = events.find((e) => e.type === 'auth.session.refresh_reused');
    expect(event).toMatchObject({
      actor: { userId: user.id },
      target: { type: 'session', id: sid },
      outcome: 'denied',
    });
    expect(JSON.stringify(events)).not.toContain(tokens.refreshToken.split('.')[1]);
  });

  it('gives concurrent uses of one refresh token one and the same successor: one live token, the session goes on', async () => {
    const { tokens } = await loggedIn();
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => refresh(tokens.refreshToken)));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const successors = new Set(outcomes.map((o) => (o as { value: AuthenticatedResult }).value.refreshToken));
    expect(successors.size).toBe(1);
    const sid = claims(tokens.accessToken).sid;
    const [live] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM auth.refresh_token WHERE session_id = $1 AND used_at IS NULL`,
      [sid],
    );
    expect(live.n).toBe(1);
    expect(await revokedMark(sid)).toBeNull();
    expect(await refresh([...successors][0])).toMatchObject({ ok: true });
  });

  it('answers refresh_token_invalid for a token it never issued', async () => {
    const { tokens } = await loggedIn();
    const [sid] = tokens.refreshToken.split('.');
    expect(await refresh(`${sid}.forged-${'a'.repeat(40)}`)).toEqual({
      ok: false,
      status: 401,
      body: { code: 'refresh_token_invalid' },
    });
    expect(await refresh('garbage')).toEqual({
      ok: false,
      status: 401,
      body: { code: 'refresh_token_invalid' },
    });
  });

  it('ends a session idle for more than 30 minutes of the injected clock', async () => {
    const { tokens } = await loggedIn();
    const sid = claims(tokens.accessToken).sid;
    t.clock.advance(30 * 60 * 1000);
    const kept = (await refresh(tokens.refreshToken)) as { ok: true; value: AuthenticatedResult };
    expect(kept.ok).toBe(true);

    t.clock.advance(30 * 60 * 1000 + 1000);
    expect(await refresh(kept.value.refreshToken)).toEqual({
      ok: false,
      status: 401,
      body: { code: 'session_ended' },
    });
    const [session] = await t.dataSource.query(`SELECT revoke_reason FROM auth.session WHERE id = $1`, [sid]);
    expect(session.revoke_reason).toBe('idle_timeout');
    // And stays ended.
    expect(await refresh(kept.value.refreshToken)).toEqual({
      ok: false,
      status: 401,
      body: { code: 'session_ended' },
    });
  });

  it('ends a session at its absolute 12-hour limit however active it is', async () => {
    const { tokens } = await loggedIn();
    let current = tokens.refreshToken;
    for (let elapsed = 0; elapsed + 29 * 60 < 12 * 60 * 60; elapsed += 29 * 60) {
      t.clock.advance(29 * 60 * 1000);
      const res = (await refresh(current)) as { ok: true; value: AuthenticatedResult };
      expect(res.ok).toBe(true);
      current = res.value.refreshToken;
    }
    t.clock.advance(29 * 60 * 1000);
    expect(await refresh(current)).toEqual({ ok: false, status: 401, body: { code: 'session_ended' } });
  });

  it('logs out: the session ends and the gateway mark is set in Redis with a TTL beyond the access token', async () => {
    const { tokens } = await loggedIn();
    const sid = claims(tokens.accessToken).sid;
    expect(await revokedMark(sid)).toBeNull();

    expect(await logout(tokens.accessToken)).toEqual({ ok: true, value: {} });

    expect(await revokedMark(sid)).toBe('1');
    const ttl = await t.redis.ttl(revokedSessionKey(t.redisPrefix, sid));
    expect(ttl).toBeGreaterThan(900);
    expect(ttl).toBeLessThanOrEqual(960);
    expect(await refresh(tokens.refreshToken)).toEqual({
      ok: false,
      status: 401,
      body: { code: 'session_ended' },
    });
  });

  it('logs out everywhere: every session of the user ends and is marked', async () => {
    const first = await loggedIn();
    const second = await loggedIn(first.user);
    const other = await loggedIn();

    expect(await logout(first.tokens.accessToken, true)).toEqual({ ok: true, value: {} });

    for (const tokens of [first.tokens, second.tokens]) {
      expect(await revokedMark(claims(tokens.accessToken).sid)).toBe('1');
      expect(await refresh(tokens.refreshToken)).toMatchObject({ ok: false, status: 401 });
    }
    expect(await revokedMark(claims(other.tokens.accessToken).sid)).toBeNull();
    expect(await refresh(other.tokens.refreshToken)).toMatchObject({ ok: true });
  });

  it('refuses logout without a principal', async () => {
    expect(await t.call((ctx) => sessions.logout({ ctx, data: {} }))).toEqual({
      ok: false,
      status: 401,
      body: { code: 'unauthorized' },
    });
  });

  it('switches the active tenant among the user own tenants only (AUTH-18)', async () => {
    const a = await t.newTenant();
    const b = await t.newTenant();
    const stranger = await t.newTenant();
    const user = await t.newUser({
      tenants: [
        { tenant: a, role: 'user' },
        { tenant: b, role: 'admin' },
      ],
    });
    // An admin in b owes a second step; log in through a code to get tokens.
    const login = await t.call((ctx) =>
      loginController.password({ ctx, data: { userId: user.userId, password: user.password! } }),
    );
    const flowId = (login as { value: { flowId: string } }).value.flowId;
    await t.call((ctx) => loginController.challenge({ ctx, data: { flowId, method: 'email' } }));
    const verified = (await t.call((ctx) =>
      loginController.verify({ ctx, data: { flowId, method: 'email', code: '' } }),
    )) as Outcome<unknown>;
    expect(verified).toMatchObject({ ok: false, status: 400 });
    const code = await t.lastCode(user.id, 'email');
    const tokens = (
      (await t.call((ctx) => loginController.verify({ ctx, data: { flowId, method: 'email', code } }))) as {
        value: AuthenticatedResult;
      }
    ).value;
    expect(tokens.activeTenant).toBeNull();
    expect(claims(tokens.accessToken)).toMatchObject({
      tenant: null,
      role: 'user',
      sfa: Math.floor(t.clock.now().getTime() / 1000),
    });

    const select = (tenant: string, accessToken: string) =>
      t.call((ctx) => sessions.selectTenant({ ctx, data: { tenant } }), {
        principal: principalOf(accessToken),
      });

    expect(await select(stranger.number, tokens.accessToken)).toEqual({
      ok: false,
      status: 404,
      body: { code: 'not_found' },
    });
    const inB = (await select(b.number, tokens.accessToken)) as { ok: true; value: AuthenticatedResult };
    expect(inB).toMatchObject({ ok: true, value: { activeTenant: b.number } });
    expect(claims(inB.value.accessToken)).toMatchObject({
      tenant: b.number,
      role: 'admin',
      sid: claims(tokens.accessToken).sid,
    });

    // The active tenant survives a refresh; the refresh token from before the switch is spent.
    const refreshed = (await refresh(inB.value.refreshToken)) as { ok: true; value: AuthenticatedResult };
    expect(claims(refreshed.value.accessToken)).toMatchObject({ tenant: b.number, role: 'admin' });
    const inA = (await select(a.number, refreshed.value.accessToken)) as {
      ok: true;
      value: AuthenticatedResult;
    };
    expect(claims(inA.value.accessToken)).toMatchObject({ tenant: a.number, role: 'user' });
  });

  it('revokes all sessions inside a caller transaction and marks Redis only once it commits', async () => {
    const { user, tokens } = await loggedIn();
    const sid = claims(tokens.accessToken).sid;

    await t.dataSource
      .transaction(async (manager) => {
        await t.get(SessionsService).revokeAllForUser(user.id, 'password_reset', manager);
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    expect(await revokedMark(sid)).toBeNull();
    expect(await refresh(tokens.refreshToken)).toMatchObject({ ok: true });

    await t.dataSource.transaction(async (manager) => {
      await t.get(SessionsService).revokeAllForUser(user.id, 'password_reset', manager);
      expect(await revokedMark(sid)).toBeNull();
    });
    expect(await revokedMark(sid)).toBe('1');
    const [session] = await t.dataSource.query(`SELECT revoke_reason FROM auth.session WHERE id = $1`, [sid]);
    expect(session.revoke_reason).toBe('password_reset');
  });
});
