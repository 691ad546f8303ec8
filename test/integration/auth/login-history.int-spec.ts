import { AuthenticatedResult, LoginHistoryEntryView, LoginHistoryPage } from '@app/contracts';
import { call, expectStatus, randomId, randomIp } from '@app/testing';
import { User } from '@app/auth/users/user.entity';
import { AuthGateway } from './auth-gateway';
import { TenantFixture, UserFixture } from './auth-test-app';

/** The session id (`sid`) an access token carries. */
function sessionOf(accessToken: string): string {
  return JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()).sid;
}

/** What a row says, without its ids and time. */
function shape(row: LoginHistoryEntryView): Partial<LoginHistoryEntryView> {
  return {
    event: row.event,
    method: row.method,
    result: row.result,
    reasons: row.reasons,
    ip: row.ip,
    userAgent: row.userAgent,
  };
}

/**
 * `event/result` of the rows that are a login's outcome: its failure, its success and its session
 * (the steps between depend on whether a second step was owed, which the risk check may decide).
 */
function outcomes(rows: LoginHistoryEntryView[]): string[] {
  return rows
    .filter((r) => (r.event === 'login' && r.result !== 'info') || r.event === 'session_start')
    .map((r) => `${r.event}/${r.result}`);
}

/** AUTH-22: every login attempt, second step, session start and logout, for the user and their admins. */
describe('login history (AUTH-22), through the gateway', () => {
  let platform: AuthGateway;

  beforeAll(async () => {
    platform = await AuthGateway.create();
  });
  afterAll(async () => {
    await platform.close();
  });

  async function history(token: string, query = ''): Promise<LoginHistoryPage> {
    const answer = await platform.api('GET', `/me/login-history${query}`, { token });
    expectStatus(answer, 200);
    return answer.body as LoginHistoryPage;
  }

  async function tenantHistory(token: string, query = ''): Promise<LoginHistoryPage> {
    const answer = await platform.api('GET', `/admin/login-history${query}`, { token });
    expectStatus(answer, 200);
    return answer.body as LoginHistoryPage;
  }

  async function failPassword(user: UserFixture, ip = randomIp(), userAgent = 'jest-browser'): Promise<void> {
    const answer = await platform.api('POST', '/auth/login', {
      body: { userId: user.userId, password: 'Wrong-password-1' },
      ip,
      userAgent,
    });
    expect(answer.status).toBe(401);
  }

  it("records a failed password, a login with a code and a logout in the user's own history", async () => {
    const tenant = await platform.auth.newTenant();
    const user = await platform.auth.newUser({ tenant, mfaRequired: true });
    // A session of its own to read the history with, before everything the test looks at.
    const reader = await platform.login(user, { method: 'email' });
    const [failIp, loginIp, logoutIp] = [randomIp(), randomIp(), randomIp()];

    platform.auth.clock.advance(60_000);
    await failPassword(user, failIp, 'Firefox/140.0 (failing)');
    platform.auth.clock.advance(60_000);
    const tokens = await platform.login(user, { method: 'email', ip: loginIp, userAgent: 'Safari/18.1' });
    const sessionId = sessionOf(tokens.accessToken);
    platform.auth.clock.advance(60_000);
    expect(
      (
        await platform.api('POST', '/auth/logout', {
          body: {},
          token: tokens.accessToken,
          ip: logoutIp,
          userAgent: 'Safari/18.1 (leaving)',
        })
      ).status,
    ).toBe(204);

    const page = await history(reader.accessToken, '?pageSize=100');
    const rows = page.items.filter((r) => [failIp, loginIp, logoutIp].includes(r.ip as string));
    expect(rows.map(shape)).toEqual([
      {
        event: 'logout',
        method: null,
        result: 'info',
        reasons: ['logout'],
        ip: logoutIp,
        userAgent: 'Safari/18.1 (leaving)',
      },
      {
        event: 'session_start',
        method: 'email',
        result: 'success',
        reasons: ['second_factor'],
        ip: loginIp,
        userAgent: 'Safari/18.1',
      },
      {
        event: 'login',
        method: 'email',
        result: 'success',
        reasons: ['password', 'email'],
        ip: loginIp,
        userAgent: 'Safari/18.1',
      },
      {
        event: 'second_factor',
        method: 'email',
        result: 'success',
        reasons: ['email'],
        ip: loginIp,
        userAgent: 'Safari/18.1',
      },
      {
        event: 'second_factor',
        method: 'email',
        result: 'info',
        reasons: ['email'],
        ip: loginIp,
        userAgent: 'Safari/18.1',
      },
      {
        event: 'login',
        method: 'password',
        result: 'info',
        // Why a second step was owed; the risk check may add its own reason codes.
        reasons: expect.arrayContaining(['user_mfa']),
        ip: loginIp,
        userAgent: 'Safari/18.1',
      },
      {
        event: 'login',
        method: 'password',
        result: 'failure',
        reasons: ['wrong_password'],
        ip: failIp,
        userAgent: 'Firefox/140.0 (failing)',
      },
    ]);
    expect(rows.every((r) => r.userId === user.id && r.loginId === user.userId)).toBe(true);
    // The session's rows name it; the steps before it name their login flow.
    expect(rows[0].target).toEqual({ type: 'session', id: sessionId });
    expect(rows[1].target).toEqual({ type: 'session', id: sessionId });
    expect(rows[3].target?.type).toBe('login_flow');
    // Times as the service's clock had them, newest first.
    const start = platform.auth.clock.now().getTime();
    expect(Date.parse(rows[0].occurredAt)).toBe(start);
    expect(Date.parse(rows[6].occurredAt)).toBe(start - 120_000);
    // The reader's own login (second_factor_required … session start) and nothing else.
    expect(page.total).toBe(rows.length + 5);
  });

  it('keeps each of many concurrent logins with its own method, address and agent', async () => {
    const tenant = await platform.auth.newTenant();
    const user = await platform.auth.newUser({ tenant, mfaRequired: true });
    const ip = randomIp();
    const trusting = await platform.login(user, { method: 'email', trustBrowser: 'Laptop', ip });
    expect(trusting.deviceToken).toBeDefined();
    // Without MFA of their own, the user's logins skip the code: with the trusted browser, or by password.
    await platform.auth.dataSource.getRepository(User).update({ id: user.id }, { mfaRequired: false });

    // Four at once: the lockout lets no more than five unsettled password tries through (AUTH-3).
    const agents = ['trusted-1', 'plain-2', 'trusted-3', 'plain-4'];
    const answers = await Promise.all(
      agents.map((agent) =>
        platform.passwordStep(user, {
          ip,
          userAgent: agent,
          ...(agent.startsWith('trusted') ? { deviceToken: trusting.deviceToken } : {}),
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(agents.map(() => 'authenticated'));

    const reader = answers[0] as AuthenticatedResult;
    const page = await history(reader.accessToken, '?pageSize=500');
    for (const agent of agents) {
      const method = agent.startsWith('trusted') ? 'trusted_browser' : 'password';
      const rows = page.items.filter((r) => r.userAgent === agent);
      expect(rows.map((r) => [r.event, r.method, r.result, r.ip])).toEqual([
        ['session_start', method, 'success', ip],
        ['login', method, 'success', ip],
      ]);
    }
  });

  it('shows a user their own rows only', async () => {
    const tenant = await platform.auth.newTenant();
    const [alice, bob] = await Promise.all([
      platform.auth.newUser({ tenant }),
      platform.auth.newUser({ tenant }),
    ]);
    const bobIp = randomIp();
    await failPassword(bob, bobIp);
    await platform.login(bob);
    const aliceTokens = await platform.login(alice);
    await failPassword(alice);

    const page = await history(aliceTokens.accessToken, '?pageSize=500');
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((r) => r.userId === alice.id)).toBe(true);
    expect(page.items.some((r) => r.ip === bobIp)).toBe(false);
    expect(outcomes(page.items)).toEqual(['login/failure', 'session_start/success', 'login/success']);

    // A userId in the query is not accepted on one's own history.
    const other = await platform.api('GET', `/me/login-history?userId=${bob.id}`, {
      token: aliceTokens.accessToken,
    });
    expect(other.status).toBe(400);
    expect(other.body.error.code).toBe('validation_failed');
  });

  describe('tenant admins', () => {
    interface Org {
      tenant: TenantFixture;
      admin: UserFixture;
      users: UserFixture[];
      adminToken: string;
    }

    /** A tenant with an admin and 2–4 users, each with a failed password and a login behind them. */
    async function org(): Promise<Org> {
      const tenant = await platform.auth.newTenant();
      const admin = await platform.auth.newUser({ tenant, role: 'admin' });
      const users = await Promise.all(
        Array.from({ length: 2 + Math.floor(Math.random() * 3) }, () => platform.auth.newUser({ tenant })),
      );
      for (const user of users) {
        await failPassword(user);
        await platform.login(user);
      }
      const adminToken = (await platform.login(admin)).accessToken;
      return { tenant, admin, users, adminToken };
    }

    let east: Org;
    let west: Org;
    let both: UserFixture;

    beforeAll(async () => {
      [east, west] = [await org(), await org()];
      // In both tenants (AUTH-18): each tenant's admins see this user's history.
      both = await platform.auth.newUser({
        tenants: [
          { tenant: east.tenant, role: 'user' },
          { tenant: west.tenant, role: 'user' },
        ],
      });
      await failPassword(both);
    });

    it("see their tenant's users' rows and none of another tenant's users", async () => {
      for (const [own, other] of [
        [east, west],
        [west, east],
      ]) {
        const page = await tenantHistory(own.adminToken, '?pageSize=500');
        const seen = new Set(page.items.map((r) => r.userId));
        for (const user of [...own.users, own.admin, both]) {
          expect(seen.has(user.id)).toBe(true);
        }
        for (const user of [...other.users, other.admin]) {
          expect(seen.has(user.id)).toBe(false);
        }
        // Every user's failed password and login is there.
        for (const user of own.users) {
          expect(outcomes(page.items.filter((r) => r.userId === user.id))).toEqual([
            'session_start/success',
            'login/success',
            'login/failure',
          ]);
        }
        expect(page.total).toBe(page.items.length);
      }
    });

    it("narrow to one user of their tenant, and get nothing for another tenant's user", async () => {
      const user = east.users[0];
      const all = await tenantHistory(east.adminToken, '?pageSize=500');
      const mine = await tenantHistory(east.adminToken, `?userId=${user.id}&pageSize=500`);
      expect(mine.items).toEqual(all.items.filter((r) => r.userId === user.id));
      expect(mine.total).toBe(mine.items.length);
      expect(outcomes(mine.items)).toEqual(['session_start/success', 'login/success', 'login/failure']);

      const foreign = await tenantHistory(east.adminToken, `?userId=${west.users[0].id}`);
      expect(foreign).toEqual({ items: [], total: 0, page: 1, pageSize: 50 });
    });

    it('page through the history newest first, and filter by time', async () => {
      const all = await tenantHistory(east.adminToken, '?pageSize=500');
      const second = await tenantHistory(east.adminToken, '?pageSize=2&page=2');
      expect(second.items).toEqual(all.items.slice(2, 4));
      expect(second.total).toBe(all.total);

      const times = all.items.map((r) => Date.parse(r.occurredAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);

      platform.auth.clock.advance(60_000);
      const cut = platform.auth.clock.now().toISOString();
      const late = east.users[1];
      await failPassword(late);
      const after = await tenantHistory(east.adminToken, `?from=${encodeURIComponent(cut)}`);
      expect(after.items.map((r) => [r.userId, r.event, r.result])).toEqual([[late.id, 'login', 'failure']]);
      const before = await tenantHistory(east.adminToken, `?to=${encodeURIComponent(cut)}&pageSize=500`);
      expect(before.total).toBe(all.total);
    });

    it('are refused to plain users (403) and to admins without an active tenant', async () => {
      const tokens = await platform.login(east.users[0]);
      const answer = await platform.api('GET', '/admin/login-history', { token: tokens.accessToken });
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe('forbidden');
      const file = await platform.api('GET', '/admin/login-history?format=csv', {
        token: tokens.accessToken,
      });
      expect(file.status).toBe(403);

      // An admin of both tenants who has not picked one yet (AUTH-18): no tenant to show.
      const twoHats = await platform.auth.newUser({
        tenants: [
          { tenant: east.tenant, role: 'admin' },
          { tenant: west.tenant, role: 'admin' },
        ],
      });
      const unpicked = await platform.login(twoHats);
      expect(unpicked.activeTenant).toBeNull();
      const none = await platform.api('GET', '/admin/login-history', { token: unpicked.accessToken });
      expect(none.status).toBe(409);
      expect(none.body.error.code).toBe('tenant_selection_required');
    });
  });

  it('keeps attempts on unknown IDs out of every history', async () => {
    const tenant = await platform.auth.newTenant();
    const admin = await platform.auth.newUser({ tenant, role: 'admin' });
    const token = (await platform.login(admin)).accessToken;
    const ip = randomIp();
    const unknown = await platform.api('POST', '/auth/login', {
      body: { userId: `nobody-${randomId()}@example.test.fm`, password: 'Wrong-password-1' },
      ip,
    });
    expect(unknown.status).toBe(401);

    // Recorded without a user …
    const [{ n }] = await platform.auth.dataSource.query(
      `SELECT count(*)::int AS n FROM auth.login_history WHERE ip = $1 AND user_id IS NULL`,
      [ip],
    );
    expect(n).toBe(1);
    // … and shown to no one.
    expect((await history(token, '?pageSize=500')).items.some((r) => r.ip === ip)).toBe(false);
    expect((await tenantHistory(token, '?pageSize=500')).items.some((r) => r.ip === ip)).toBe(false);
  });

  it('has a row exactly when its fact was committed', async () => {
    const tenant = await platform.auth.newTenant();
    const user = await platform.auth.newUser({ tenant });
    const reader = await platform.login(user);
    const ip = randomIp();
    // The session start cannot be recorded: the whole login transaction rolls back.
    const allow = await platform.auth.refuseAuditWrites(user.id, 'auth.session.started');
    try {
      const answer = await platform.api('POST', '/auth/login', {
        body: { userId: user.userId, password: user.password },
        ip,
      });
      expect(answer.status).toBe(500);
    } finally {
      await allow();
    }
    const page = await history(reader.accessToken, '?pageSize=500');
    expect(page.items.filter((r) => r.ip === ip)).toEqual([]);
  });

  it('is documented in the OpenAPI document with its formats and file types', async () => {
    const doc = (await call(platform.url, 'GET', '/api/docs-json')).body;
    for (const path of ['/api/v1/me/login-history', '/api/v1/admin/login-history']) {
      const get = doc.paths[path]?.get;
      expect(get).toBeDefined();
      const format = get.parameters.find((p: { name: string }) => p.name === 'format');
      expect(format.schema.enum).toEqual(['json', 'csv', 'xlsx', 'pdf']);
      expect(Object.keys(get.responses['200'].content)).toEqual([
        'application/json',
        'text/csv',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'application/pdf',
      ]);
      expect(get.responses['400']).toBeDefined();
    }
    expect(
      doc.paths['/api/v1/admin/login-history'].get.parameters.map((p: { name: string }) => p.name),
    ).toContain('userId');
  });

  it('answers 400 validation_failed for an unknown format or a page too large', async () => {
    const tenant = await platform.auth.newTenant();
    const user = await platform.auth.newUser({ tenant });
    const token = (await platform.login(user)).accessToken;
    for (const query of ['?format=docx', '?pageSize=501', '?page=0', '?from=yesterday']) {
      const answer = await platform.api('GET', `/me/login-history${query}`, { token });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('validation_failed');
    }
    const unauthenticated = await platform.api('GET', '/me/login-history');
    expect(unauthenticated.status).toBe(401);
  });
});
