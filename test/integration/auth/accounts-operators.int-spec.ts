import { ErrorCode } from '@app/contracts';
import { randomId, strongPassword } from '@app/testing';
import { AdminUserDirectory } from '@app/auth/admin-users/admin-user-directory.service';
import { LockoutService } from '@app/auth/lockout/lockout.service';
import { OperatorsController } from '@app/auth/operators/operators.controller';
import { PasswordHasher } from '@app/auth/password/password-hasher';
import { PasswordPolicyController } from '@app/auth/password/password-policy.controller';
import { UsersService } from '@app/auth/users/users.service';
import { AuthTestApp, errorOf } from './auth-test-app';

/** Operator bootstrap (`auth.operator.create`), users lookups and the published policy. */
describe('Operators and users', () => {
  let t: AuthTestApp;
  let users: UsersService;

  beforeAll(async () => {
    t = await AuthTestApp.create();
    users = t.get(UsersService);
  });
  afterAll(async () => t?.close());

  it('creates an operator with an argon2id hash at OWASP parameters, and audits it', async () => {
    const sut = t.get(OperatorsController);
    const userId = `Ops-${randomId()}`;
    const email = `ops-${randomId()}@example.test`;
    const password = strongPassword();
    const view = await sut.create(t.envelope({ userId, email, password }));
    expect(view).toMatchObject({ userId, email, admin: false, locked: false });

    const stored = (await users.findAccount(`  ${userId.toLowerCase()}  `))?.user;
    expect(stored).toMatchObject({ id: view.id, isOperator: true, userIdKey: userId.toLowerCase() });
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await t.get(PasswordHasher).verify(stored!.passwordHash, password)).toBe(true);
    expect(await users.membershipsOf(view.id)).toEqual([]);
    const events = await t.auditEvents({ type: 'auth.operator.created', targetId: view.id });
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(password);
    expect(JSON.stringify(events)).not.toContain(email);

    expect(
      (await errorOf(sut.create(t.envelope({ userId: userId.toUpperCase(), email, password })))).code,
    ).toBe(ErrorCode.UserIdTaken);
  });

  it('checks the operator password against the policy', async () => {
    const sut = t.get(OperatorsController);
    const userId = `ops-${randomId()}`;
    const weak = await errorOf(
      sut.create(t.envelope({ userId, email: 'o@example.test', password: `Qz7#${userId}` })),
    );
    expect(weak).toMatchObject({ code: ErrorCode.PasswordPolicy, details: { violations: ['not_weak'] } });
    const short = await errorOf(
      sut.create(t.envelope({ userId, email: 'o@example.test', password: 'Ab1!' })),
    );
    expect(short).toMatchObject({ code: ErrorCode.PasswordPolicy, details: { violations: ['min_length'] } });
    expect(await users.findAccount(userId)).toBeNull();
  });

  it('finds users by any variant of their ID, and by id only in uuid form, with their tenants', async () => {
    const tenant = await t.newTenant();
    const user = await t.newUser({ userId: `Mixed.Case-${randomId()}`, tenant, role: 'admin' });
    for (const variant of [user.userId, user.userId.toUpperCase(), `\t${user.userId} `]) {
      expect((await users.findAccount(variant))?.user.id).toBe(user.id);
    }
    expect(await users.findAccountById(user.id)).toEqual({
      user: expect.objectContaining({ id: user.id, userId: user.userId }),
      memberships: [
        {
          tenantNumber: tenant.number,
          tenantName: tenant.name,
          role: 'admin',
          mfaAlways: false,
          notificationEmail: null,
        },
      ],
    });
    expect(await users.findAccountById('not-a-uuid')).toBeNull();
    expect(await users.findAccountById('00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await users.membershipsOf('not-a-uuid')).toEqual([]);
    expect(await users.tenantNumbersOf(user.id)).toEqual([tenant.number]);
  });

  it('lists memberships with tenant names and shows the lock in the view', async () => {
    const [a, b] = [await t.newTenant({ name: 'Alpha KK' }), await t.newTenant({ name: 'Beta KK' })];
    const user = await t.newUser({ tenant: a, role: 'admin' });
    await t.dataSource.query(
      `INSERT INTO auth.membership (user_id, tenant_number, role) VALUES ($1, $2, 'user')`,
      [user.id, b.number],
    );
    expect(await users.membershipsOf(user.id)).toEqual([
      { number: a.number, name: 'Alpha KK', role: 'admin' },
      { number: b.number, name: 'Beta KK', role: 'user' },
    ]);
    const lockout = t.get(LockoutService);
    for (let i = 0; i < 5; i++) {
      await lockout.reserveAttempt(user.userIdKey);
      await lockout.recordFailure(user.userIdKey);
    }
    // The view an admin reads of the user (AUTH-3: the lock shows there).
    expect(await t.get(AdminUserDirectory).get(t.principalOf(user), user.id)).toMatchObject({
      id: user.id,
      admin: true,
      locked: true,
    });
  });

  it('publishes the configured password policy', async () => {
    expect(await t.get(PasswordPolicyController).view(t.envelope({}))).toEqual({
      minLength: 12,
      maxLength: 40,
      symbols: '!@#$%&*?+-=',
      rules: [
        'min_length',
        'max_length',
        'lower',
        'upper',
        'digit',
        'symbol',
        'allowed_characters',
        'not_weak',
        'confirmation_matches',
      ],
    });
  });
});
