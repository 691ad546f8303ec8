import { randomInt } from 'node:crypto';
import { errorCode, expectStatus } from '@app/testing';
import { LockoutService } from '@app/auth/lockout/lockout.service';
import { AuditCapture, adminSession, AdminSession, listUsers, userRoutes } from './admin-harness';
import { AuthGateway } from './auth-gateway';
import { TenantFixture, UserFixture } from './auth-test-app';

/**
 * AUTH-21: a tenant admin acts on the active tenant of their token only. Every user of another tenant
 * is `404 not_found` on every route that names a user — the same answer as for an id that does not
 * exist — the list shows none of them, and nothing of the other tenant changes.
 */
describe('Tenant isolation of admin user management, through the gateway', () => {
  let platform: AuthGateway;
  let audit: AuditCapture;

  beforeAll(async () => {
    platform = await AuthGateway.create();
    audit = await AuditCapture.start(platform);
  });
  afterAll(async () => {
    await audit?.stop();
    await platform.close();
  });

  /** Everything an admin route could change about users, plus lock state and audit trail. */
  async function snapshot(users: UserFixture[]): Promise<unknown> {
    const ids = users.map((u) => u.id);
    const rows = await platform.auth.dataSource.query(
      `SELECT u.*, m.tenant_number, m.role, m.notification_email
         FROM auth.app_user u JOIN auth.membership m ON m.user_id = u.id
        WHERE u.id = ANY($1::uuid[]) ORDER BY u.id, m.tenant_number`,
      [ids],
    );
    const locks = await platform.auth.dataSource.query(
      `SELECT key, failures, locked_until FROM auth.login_throttle WHERE key = ANY($1) ORDER BY key`,
      [users.map((u) => u.userIdKey)],
    );
    const sessions = await platform.auth.dataSource.query(
      `SELECT id, revoked_at FROM auth.session WHERE user_id = ANY($1::uuid[]) ORDER BY id`,
      [ids],
    );
    return { rows, locks, sessions };
  }

  /** A tenant with a random number of users in random states that each admin route would change. */
  async function populatedTenant(): Promise<{ tenant: TenantFixture; users: UserFixture[] }> {
    const tenant = await platform.auth.newTenant();
    const users: UserFixture[] = [];
    const count = randomInt(2, 6);
    for (let i = 0; i < count; i++) {
      users.push(
        await platform.auth.newUser({
          tenant,
          role: randomInt(2) === 0 ? 'admin' : 'user',
          loginDisabled: randomInt(3) === 0,
          emailUndeliverable: randomInt(2) === 0,
          mfaRequired: randomInt(2) === 0,
        }),
      );
    }
    const lockout = platform.auth.get(LockoutService);
    for (const user of users.filter(() => randomInt(2) === 0)) {
      for (let i = 0; i < 5; i++) {
        await lockout.reserveAttempt(user.userIdKey);
        await lockout.recordFailure(user.userIdKey);
      }
    }
    return { tenant, users };
  }

  it('answers 404 for every user of every other tenant on every route, lists none and changes nothing', async () => {
    const home = await adminSession(platform);
    const homeUsers = [home.admin, ...(await populatedTenantUsersIn(home))];
    const others = [await populatedTenant(), await populatedTenant(), await populatedTenant()];
    // A user of another tenant with a live session there, which a disable would end.
    const traveller = await platform.auth.newUser({ tenant: others[0].tenant, role: 'user' });
    await platform.login(traveller);
    const foreign = [...others.flatMap((o) => o.users), traveller];
    const before = await snapshot(foreign);

    const unknown = '00000000-0000-4000-8000-000000000000';
    const notFound = await platform.api('GET', `/admin/users/${unknown}`, { token: home.token });
    expect(notFound.status).toBe(404);

    for (const user of foreign) {
      for (const [method, path, body] of userRoutes(user.id)) {
        const answer = await platform.api(method, path, { token: home.token, body });
        expect({
          method,
          path: path.replace(user.id, ':id'),
          status: answer.status,
          code: errorCode(answer),
        }).toEqual({
          method,
          path: path.replace(user.id, ':id'),
          status: 404,
          code: 'not_found',
        });
        // Exactly what an unknown id gets: nothing tells "exists elsewhere" from "does not exist".
        expect(Object.keys(answer.body.error).sort()).toEqual(Object.keys(notFound.body.error).sort());
        expect(answer.body.error.message).toBe(notFound.body.error.message);
        expect(answer.body.error.details).toEqual(notFound.body.error.details);
      }
    }

    const listed = await listUsers(platform, home);
    expect(listed.filter((u) => foreign.some((f) => f.id === u.id))).toHaveLength(0);
    expect(listed.map((u) => u.id).sort()).toEqual(homeUsers.map((u) => u.id).sort());

    expect(await snapshot(foreign)).toEqual(before);
    for (const user of foreign) {
      expect(await audit.events({ targetId: user.id, actorUserId: home.admin.id })).toEqual([]);
    }
  });

  it('keeps an admin of several tenants to the active one, and lets them act there after switching', async () => {
    const a = await platform.auth.newTenant();
    const b = await populatedTenant();
    const admin = await platform.auth.newUser({
      tenants: [
        { tenant: a, role: 'admin' },
        { tenant: b.tenant, role: 'admin' },
      ],
    });
    const inA = await platform.auth.newUser({ tenant: a, role: 'user' });
    const tokens = await platform.login(admin);
    // Two tenants: the admin picks one (AUTH-18).
    expect(tokens.activeTenant).toBeNull();
    const pickA = await platform.api('POST', '/auth/tenant', {
      token: tokens.accessToken,
      body: { tenant: a.number },
    });
    expectStatus(pickA, 200);
    const sessionA: AdminSession = { tenant: a, admin, token: pickA.body.accessToken };

    expect((await listUsers(platform, sessionA)).map((u) => u.id).sort()).toEqual([admin.id, inA.id].sort());
    const target = b.users[0];
    const before = await snapshot(b.users);
    for (const [method, path, body] of userRoutes(target.id)) {
      expect((await platform.api(method, path, { token: sessionA.token, body })).status).toBe(404);
    }
    expect(await snapshot(b.users)).toEqual(before);

    const pickB = await platform.api('POST', '/auth/tenant', {
      token: sessionA.token,
      body: { tenant: b.tenant.number },
    });
    expectStatus(pickB, 200);
    const got = await platform.api('GET', `/admin/users/${target.id}`, { token: pickB.body.accessToken });
    expectStatus(got, 200);
    expect(
      (await platform.api('GET', `/admin/users/${inA.id}`, { token: pickB.body.accessToken })).status,
    ).toBe(404);
  });

  it('answers for the active tenant only even when the user is in both tenants', async () => {
    const home = await adminSession(platform);
    const other = await platform.auth.newTenant();
    const shared = await platform.auth.newUser({
      tenants: [
        { tenant: home.tenant, role: 'user' },
        { tenant: other, role: 'admin' },
      ],
    });
    const got = await platform.api('GET', `/admin/users/${shared.id}`, { token: home.token });
    expectStatus(got, 200);
    // Their role here, not in the other tenant.
    expect(got.body.admin).toBe(false);
  });

  /** A few users in the admin's own tenant, so the list has more than the admin. */
  async function populatedTenantUsersIn(session: AdminSession): Promise<UserFixture[]> {
    const users: UserFixture[] = [];
    const count = randomInt(1, 4);
    for (let i = 0; i < count; i++) {
      users.push(await platform.auth.newUser({ tenant: session.tenant, role: 'user' }));
    }
    return users;
  }
});
