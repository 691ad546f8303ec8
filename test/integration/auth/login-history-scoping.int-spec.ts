import { randomUUID } from 'node:crypto';
import { LoginHistoryEntry } from '@app/auth/login-history/login-history-entry.entity';
import { ScopeLoginHistory1764900000000 } from '@app/auth/migrations/1764900000000-ScopeLoginHistory';
import { Session } from '@app/auth/sessions/session.entity';
import { AuthTestApp } from './auth-test-app';

jest.setTimeout(60_000);

/**
 * Issue 16: login history rows written before scoping named every tenant of the user. The
 * ScopeLoginHistory migration moves the end of a session to the tenant that session was last acting
 * in, and leaves rows that do not tell their tenant as they were. The run's database has the
 * migration applied already; running its `up` again touches only rows still tagged the old way.
 */
describe('ScopeLoginHistory migration', () => {
  let auth: AuthTestApp;

  beforeAll(async () => {
    auth = await AuthTestApp.create();
  });
  afterAll(async () => {
    await auth.close();
  });

  it("moves an ended session's rows to its last tenant and leaves the rest", async () => {
    const [a, b] = [await auth.newTenant(), await auth.newTenant()];
    const user = await auth.newUser({
      tenants: [
        { tenant: a, role: 'user' },
        { tenant: b, role: 'user' },
      ],
    });
    const now = auth.clock.now();
    const session = (activeTenant: string | null, revokedAt: Date | null) => ({
      id: randomUUID(),
      userId: user.id,
      activeTenant,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + 3_600_000),
      secondFactorAt: null,
      revokedAt,
      revokeReason: revokedAt ? 'logout' : null,
      ip: null,
      userAgent: null,
    });
    const endedInB = session(b.number, now);
    const liveInA = session(a.number, null);
    const endedWithoutTenant = session(null, now);
    await auth.dataSource.getRepository(Session).insert([endedInB, liveInA, endedWithoutTenant]);
    const row = (event: LoginHistoryEntry['event'], targetId: string) => ({
      id: randomUUID(),
      occurredAt: now,
      userId: user.id,
      tenants: [a.number, b.number],
      event,
      method: null,
      result: 'success' as const,
      reasons: [],
      ip: '198.51.100.9',
      userAgent: 'jest',
      targetType: 'session',
      targetId,
      correlationId: randomUUID(),
    });
    const rows = {
      logout: row('logout', endedInB.id),
      live: row('session_end', liveInA.id),
      noTenant: row('session_end', endedWithoutTenant.id),
      start: row('session_start', endedInB.id),
    };
    await auth.dataSource.getRepository(LoginHistoryEntry).insert(Object.values(rows));

    const runner = auth.dataSource.createQueryRunner();
    try {
      await new ScopeLoginHistory1764900000000().up(runner);
    } finally {
      await runner.release();
    }

    const tags = async (id: string) =>
      (await auth.dataSource.getRepository(LoginHistoryEntry).findOneByOrFail({ id })).tenants.sort();
    expect(await tags(rows.logout.id)).toEqual([b.number]);
    expect(await tags(rows.live.id)).toEqual([a.number, b.number].sort());
    expect(await tags(rows.noTenant.id)).toEqual([a.number, b.number].sort());
    expect(await tags(rows.start.id)).toEqual([a.number, b.number].sort());
  });
});
