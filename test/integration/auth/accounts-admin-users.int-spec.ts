import { ErrorCode, Principal } from '@app/contracts';
import { AdminUsersController } from '../../../apps/auth/src/admin-users/admin-users.controller';
import { LockoutService } from '../../../apps/auth/src/lockout/lockout.service';
import { AuthTestApp, errorOf, TenantFixture, UserFixture } from './auth-test-app';

/** Tenant admins see and unlock the users of their active tenant, and no one else (AUTH-21). */
describe('Admin user management', () => {
  let t: AuthTestApp;
  let sut: AdminUsersController;
  let lockout: LockoutService;
  let home: TenantFixture;
  let other: TenantFixture;
  let admin: UserFixture;
  let member: UserFixture;
  let outsider: UserFixture;

  beforeAll(async () => {
    t = await AuthTestApp.create();
    sut = t.get(AdminUsersController);
    lockout = t.get(LockoutService);
    [home, other] = [await t.newTenant(), await t.newTenant()];
    admin = await t.newUser({ tenant: home, role: 'admin' });
    member = await t.newUser({ tenant: home, role: 'user' });
    outsider = await t.newUser({ tenant: other, role: 'user' });
  });
  afterAll(async () => t?.close());

  async function lock(key: string): Promise<void> {
    for (let i = 0; i < 5; i++) {
      await lockout.reserveAttempt(key);
      await lockout.recordFailure(key);
    }
  }

  it('lists only the active tenant’s users, with role and lock state', async () => {
    await lock(member.userIdKey);
    const list = await sut.list(t.envelope({}, t.principalOf(admin)));
    expect(list.map((u) => u.id).sort()).toEqual([admin.id, member.id].sort());
    expect(list.find((u) => u.id === admin.id)).toMatchObject({ admin: true, locked: false });
    expect(list.find((u) => u.id === member.id)).toMatchObject({
      admin: false,
      locked: true,
      userId: member.userId,
    });
  });

  it('unlocks a user of the active tenant at once', async () => {
    await lock(member.userIdKey);
    expect(await sut.unlock(t.envelope({ id: member.id }, t.principalOf(admin)))).toEqual({});
    expect(await lockout.lockedFor(member.userIdKey)).toBeNull();
    expect(await lockout.reserveAttempt(member.userIdKey)).toEqual({ allowed: true });
  });

  it('answers not_found for another tenant’s user, an unknown id or garbage — and unlocks nothing', async () => {
    await lock(outsider.userIdKey);
    for (const id of [outsider.id, '00000000-0000-4000-8000-000000000000', 'nope', "'; DROP TABLE x; --"]) {
      expect((await errorOf(sut.unlock(t.envelope({ id }, t.principalOf(admin))))).code).toBe(
        ErrorCode.NotFound,
      );
    }
    expect(await lockout.lockedFor(outsider.userIdKey)).toBe(1200);
    expect(await t.auditEvents({ type: 'auth.account.unlocked', targetId: outsider.id })).toEqual([]);
  });

  it('refuses callers who are not admins of the active tenant', async () => {
    const demoted = await t.newUser({ tenant: home, role: 'user' });
    const callers: [Principal | undefined, ErrorCode][] = [
      [undefined, ErrorCode.Unauthorized],
      [t.principalOf(member), ErrorCode.Forbidden],
      // The token says admin, the database no longer does.
      [t.principalOf(demoted, { role: 'admin' }), ErrorCode.Forbidden],
      // An admin of `home` pointing the token at a tenant where they are not admin.
      [t.principalOf(admin, { tenant: other.number }), ErrorCode.Forbidden],
      [t.principalOf(admin, { tenant: null }), ErrorCode.TenantSelectionRequired],
    ];
    for (const [principal, code] of callers) {
      expect(await errorOf(sut.list(t.envelope({}, principal)))).toMatchObject({ code });
      expect(await errorOf(sut.unlock(t.envelope({ id: member.id }, principal)))).toMatchObject({ code });
    }
  });
});
