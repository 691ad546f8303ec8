import { ErrorCode, Principal, RpcEnvelope } from '@app/contracts';
import { AdminUsersController } from '@app/auth/admin-users/admin-users.controller';
import { LockoutService } from '@app/auth/lockout/lockout.service';
import { User } from '@app/auth/users/user.entity';
import { AuthTestApp, errorOf, TenantFixture, UserFixture } from './auth-test-app';

/**
 * Defence in depth at the auth service's own boundary (AUTH-21): a NATS peer that skipped the
 * gateway, or a stale token, gets nothing from the admin handlers unless the database says the
 * caller is an admin of the active tenant. The gateway-driven rules are in admin-*.int-spec.ts.
 */
describe('Admin user management at the service boundary', () => {
  let t: AuthTestApp;
  let sut: AdminUsersController;
  let lockout: LockoutService;
  let home: TenantFixture;
  let other: TenantFixture;
  let admin: UserFixture;
  let member: UserFixture;

  beforeAll(async () => {
    t = await AuthTestApp.create();
    sut = t.get(AdminUsersController);
    lockout = t.get(LockoutService);
    [home, other] = [await t.newTenant(), await t.newTenant()];
    admin = await t.newUser({ tenant: home, role: 'admin' });
    member = await t.newUser({ tenant: home, role: 'user' });
    await t.newUser({ tenant: other, role: 'user' });
  });
  afterAll(async () => t?.close());

  async function lock(key: string): Promise<void> {
    for (let i = 0; i < 5; i++) {
      await lockout.reserveAttempt(key);
      await lockout.recordFailure(key);
    }
  }

  it('lists only the active tenant’s users, with role, lock state and the admin’s fields', async () => {
    await lock(member.userIdKey);
    const list = await sut.list(t.envelope({}, t.principalOf(admin)));
    expect(list.map((u) => u.id).sort()).toEqual([admin.id, member.id].sort());
    expect(list.find((u) => u.id === admin.id)).toMatchObject({ admin: true, locked: false });
    expect(list.find((u) => u.id === member.id)).toMatchObject({
      admin: false,
      locked: true,
      userId: member.userId,
      title: null,
      officePhone: null,
      emailUndeliverable: false,
      notificationEmail: null,
    });
  });

  it('refuses callers who are not admins of the active tenant, on every handler, changing nothing', async () => {
    const demoted = await t.newUser({ tenant: home, role: 'user' });
    const disabledAdmin = await t.newUser({ tenant: home, role: 'admin', loginDisabled: true });
    const target = await t.newUser({ tenant: home, role: 'user', emailUndeliverable: true });
    const before = await t.dataSource.getRepository(User).findOneByOrFail({ id: target.id });
    const callers: [Principal | undefined, ErrorCode][] = [
      [undefined, ErrorCode.Unauthorized],
      [t.principalOf(member), ErrorCode.Forbidden],
      // The token says admin, the database no longer does.
      [t.principalOf(demoted, { role: 'admin' }), ErrorCode.Forbidden],
      [t.principalOf(disabledAdmin), ErrorCode.Forbidden],
      // An admin of `home` pointing the token at a tenant where they are not admin.
      [t.principalOf(admin, { tenant: other.number }), ErrorCode.Forbidden],
      [t.principalOf(admin, { tenant: null }), ErrorCode.TenantSelectionRequired],
    ];
    const id = target.id;
    const calls: ((p: Principal | undefined) => Promise<unknown>)[] = [
      (p) => sut.list(env({}, p)),
      (p) => sut.get(env({ id }, p)),
      (p) => sut.suggestUserId(env({ email: 'a@example.org' }, p)),
      (p) => sut.create(env({ familyName: 'X', email: 'x@example.org' }, p)),
      (p) => sut.update(env({ id, title: 'Changed' }, p)),
      (p) => sut.changeUserId(env({ id, userId: 'changed-by-peer' }, p)),
      (p) => sut.disable(env({ id }, p)),
      (p) => sut.enable(env({ id }, p)),
      (p) => sut.unlock(env({ id }, p)),
      (p) => sut.setNotificationEmail(env({ id, email: 'peer@example.org' }, p)),
      (p) => sut.markEmailDeliverable(env({ id }, p)),
    ];
    for (const [principal, code] of callers) {
      for (const call of calls) {
        expect(await errorOf(call(principal))).toMatchObject({ code });
      }
    }
    expect(await t.dataSource.getRepository(User).findOneByOrFail({ id: target.id })).toEqual(before);
  });

  it('trusts no second-step claim of the principal: the session row decides (AUTH-12)', async () => {
    // principalOf claims a fresh second step but names a session that does not exist.
    const error = await errorOf(sut.disable(env({ id: member.id }, t.principalOf(admin))));
    expect(error.code).toBe(ErrorCode.SessionEnded);
    expect(await t.dataSource.getRepository(User).findOneByOrFail({ id: member.id })).toMatchObject({
      loginDisabled: false,
    });
  });

  function env<T>(data: T, principal: Principal | undefined): RpcEnvelope<T> {
    return t.envelope(data, principal);
  }
});
