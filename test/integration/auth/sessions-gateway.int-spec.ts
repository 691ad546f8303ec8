import { expectStatus } from '@app/testing';
import { AuthGateway } from './auth-gateway';

const MINUTE = 60_000;

/**
 * AUTH-15 and AUTH-18 as a browser meets them through the gateway: idle and absolute timeouts,
 * logout, "log out everywhere", and picking and switching the active tenant.
 */
describe('sessions and tenants through the gateway (AUTH-15, AUTH-18)', () => {
  let platform: AuthGateway;

  beforeAll(async () => {
    platform = await AuthGateway.create();
  });
  afterAll(async () => {
    await platform.close();
  });

  async function plainUser() {
    return platform.auth.newUser({ tenant: await platform.auth.newTenant() });
  }

  const refresh = (refreshToken: string) => platform.api('POST', '/auth/refresh', { body: { refreshToken } });

  describe('idle timeout: 30 minutes without a refresh ends the session', () => {
    it('refreshes at 29 minutes of silence and refuses after 30', async () => {
      const user = await plainUser();
      const first = await platform.login(user);
      platform.auth.clock.advance(29 * MINUTE);
      const renewed = await refresh(first.refreshToken);
      expectStatus(renewed, 200);

      platform.auth.clock.advance(30 * MINUTE + 1000);
      const late = await refresh(renewed.body.refreshToken);
      expect(late.status).toBe(401);
      expect(late.body.error.code).toBe('session_ended');
      const ended = await platform.auth.auditEvents({ actorUserId: user.id, type: 'auth.session.ended' });
      expect(ended.map((e) => e.reasons)).toEqual([['idle_timeout']]);
    });
  });

  describe('absolute timeout: 12 hours however active', () => {
    it('keeps refreshing every 20 minutes until 12 hours, then ends', async () => {
      const user = await plainUser();
      let tokens = await platform.login(user);
      // 35 refreshes 20 minutes apart reach 11 h 40 min.
      for (let i = 0; i < 35; i++) {
        platform.auth.clock.advance(20 * MINUTE);
        const next = await refresh(tokens.refreshToken);
        expectStatus(next, 200);
        tokens = next.body;
      }
      // The last access token before the end lives only until the end: 20 minutes, not 15 + more.
      platform.auth.clock.advance(10 * MINUTE);
      const nearEnd = await refresh(tokens.refreshToken);
      expectStatus(nearEnd, 200);
      expect(nearEnd.body.expiresIn).toBe(10 * 60);

      platform.auth.clock.advance(10 * MINUTE);
      const after = await refresh(nearEnd.body.refreshToken);
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('session_ended');
      const ended = await platform.auth.auditEvents({ actorUserId: user.id, type: 'auth.session.ended' });
      expect(ended.map((e) => e.reasons)).toEqual([['absolute_timeout']]);
    });
  });

  describe('logout', () => {
    it("ends this session only: its access and refresh tokens are refused at once, another session's are not", async () => {
      const user = await plainUser();
      const a = await platform.login(user);
      const b = await platform.login(user);
      expect((await platform.api('POST', '/auth/logout', { token: a.accessToken, body: {} })).status).toBe(
        204,
      );

      const refusedAt = Date.now();
      const aAgain = await platform.api('POST', '/auth/logout', { token: a.accessToken, body: {} });
      expect(aAgain.status).toBe(401);
      expect(aAgain.body.error.code).toBe('session_ended');
      // "within 2 seconds": the gateway refuses on the very next request.
      expect(Date.now() - refusedAt).toBeLessThan(2000);
      expect((await refresh(a.refreshToken)).status).toBe(401);
      expectStatus(await refresh(b.refreshToken), 200);
    });

    it('"log out everywhere" ends every session of the user and no one else\'s', async () => {
      const user = await plainUser();
      const other = await plainUser();
      const sessions = [await platform.login(user), await platform.login(user), await platform.login(user)];
      const bystander = await platform.login(other);

      const out = await platform.api('POST', '/auth/logout', {
        token: sessions[0].accessToken,
        body: { all: true },
      });
      expect(out.status).toBe(204);
      for (const s of sessions) {
        const answer = await platform.api('POST', '/auth/logout', { token: s.accessToken, body: {} });
        expect(answer.body.error.code).toBe('session_ended');
        expect((await refresh(s.refreshToken)).status).toBe(401);
      }
      expectStatus(await refresh(bystander.refreshToken), 200);
    });
  });

  describe('tenant selection', () => {
    it('lists only the tenants of the user, refuses tenant work before a pick, and switches without a new login', async () => {
      const a = await platform.auth.newTenant({ name: 'Alpha Trading' });
      const b = await platform.auth.newTenant({ name: 'Beta Works' });
      const c = await platform.auth.newTenant();
      const user = await platform.auth.newUser({
        tenants: [
          { tenant: a, role: 'admin' },
          { tenant: b, role: 'admin' },
        ],
      });
      const colleagueInB = await platform.auth.newUser({ tenant: b });

      const tokens = await platform.login(user);
      expect(tokens.activeTenant).toBeNull();
      expect(tokens.tenants).toEqual(
        expect.arrayContaining([
          { number: a.number, name: 'Alpha Trading', role: 'admin' },
          { number: b.number, name: 'Beta Works', role: 'admin' },
        ]),
      );
      expect(tokens.tenants).toHaveLength(2);

      const beforePick = await platform.api('GET', '/admin/users', { token: tokens.accessToken });
      expect(beforePick.status).toBe(409);
      expect(beforePick.body.error.code).toBe('tenant_selection_required');

      const inA = await platform.api('POST', '/auth/tenant', {
        token: tokens.accessToken,
        body: { tenant: a.number },
      });
      expectStatus(inA, 200);
      expect(inA.body.activeTenant).toBe(a.number);
      const usersOfA = await platform.api('GET', '/admin/users', { token: inA.body.accessToken });
      expectStatus(usersOfA, 200);
      expect(usersOfA.body.map((u: { id: string }) => u.id)).not.toContain(colleagueInB.id);

      const inB = await platform.api('POST', '/auth/tenant', {
        token: inA.body.accessToken,
        body: { tenant: b.number },
      });
      expectStatus(inB, 200);
      expect(inB.body.activeTenant).toBe(b.number);
      const usersOfB = await platform.api('GET', '/admin/users', { token: inB.body.accessToken });
      expect(usersOfB.body.map((u: { id: string }) => u.id)).toContain(colleagueInB.id);
      const notMine = await platform.api('POST', '/auth/tenant', {
        token: inB.body.accessToken,
        body: { tenant: c.number },
      });
      expect(notMine.status).toBe(404);
      // The refresh token of before the switch is spent: using it again counts as reuse and ends
      // the session (AUTH-15).
      const reused = await refresh(inA.body.refreshToken);
      expect(reused.body.error.code).toBe('refresh_token_reused');
      const afterReuse = await platform.api('GET', '/admin/users', { token: inB.body.accessToken });
      expect(afterReuse.body.error.code).toBe('session_ended');
    });

    it('makes the only tenant active at once for a user in one tenant', async () => {
      const user = await plainUser();
      const tokens = await platform.login(user);
      expect(tokens.activeTenant).toBe(user.tenant);
    });
  });
});
