import { CreateTenantUserDto, DomainError, ErrorCode, Principal } from '@app/contracts';
import { randomId } from '@app/testing';
import { PasswordResetController } from '@app/auth/password-reset/password-reset.controller';
import { TenantsController } from '@app/auth/tenants/tenants.controller';
import { UsersService } from '@app/auth/users/users.service';
import { AuthTestApp, errorOf, UserFixture } from './auth-test-app';

/** Operators onboard a tenant and its representative admin (CASE-1, AUTH-1, AUTH-14). */
describe('Tenants and representative admins', () => {
  let t: AuthTestApp;
  let sut: TenantsController;
  let operator: UserFixture;
  let asOperator: Principal;

  beforeAll(async () => {
    t = await AuthTestApp.create();
    sut = t.get(TenantsController);
    operator = await t.newUser({ operator: true });
    asOperator = t.principalOf(operator);
  });
  afterAll(async () => t?.close());

  const tenantNumber = () => `N${randomId(10).toUpperCase()}`;
  const adminDto = (overrides: Partial<CreateTenantUserDto> = {}): CreateTenantUserDto => ({
    userId: `rep-${randomId()}@example.test.fm`,
    email: `rep-${randomId()}@example.test`,
    familyName: 'Suzuki',
    givenName: 'Ichiro',
    phone: '+819012345678',
    language: 'en',
    admin: true,
    ...overrides,
  });

  it('lets an operator create a tenant, once', async () => {
    const number = tenantNumber();
    const view = await sut.create(t.envelope({ number, name: ' Example Corporation ' }, asOperator));
    expect(view).toEqual({ number, name: 'Example Corporation', createdAt: expect.any(String) });
    expect((await errorOf(sut.create(t.envelope({ number, name: 'Again' }, asOperator)))).code).toBe(
      ErrorCode.TenantExists,
    );
    expect(await t.auditEvents({ type: 'auth.tenant.created', targetId: number })).toMatchObject([
      { actor: { userId: operator.id }, outcome: 'success', tenants: [number] },
    ]);
    expect((await sut.list(t.envelope({}, asOperator))).map((v) => v.number)).toContain(number);
  });

  it('creates one tenant when the same number is submitted 10 times at once', async () => {
    const number = tenantNumber();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => sut.create(t.envelope({ number, name: 'Race' }, asOperator))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') {
        expect((r.reason as DomainError).code).toBe(ErrorCode.TenantExists);
      }
    }
  });

  it('refuses everyone but an operator, checking the database too', async () => {
    const tenant = await t.newTenant();
    const admin = await t.newUser({ tenant, role: 'admin' });
    const notReallyOperator = await t.newUser({ tenant, role: 'admin' });
    const disabledOperator = await t.newUser({ operator: true, loginDisabled: true });
    const callers: [Principal | undefined, ErrorCode][] = [
      [undefined, ErrorCode.Unauthorized],
      [t.principalOf(admin), ErrorCode.Forbidden],
      [t.principalOf(admin, { role: 'user' }), ErrorCode.Forbidden],
      // A token claiming a role the database does not grant (stale, or forged by a NATS peer).
      [t.principalOf(notReallyOperator, { role: 'operator', tenant: null }), ErrorCode.Forbidden],
      [t.principalOf(disabledOperator), ErrorCode.Forbidden],
    ];
    for (const [principal, code] of callers) {
      expect(
        await errorOf(sut.create(t.envelope({ number: tenantNumber(), name: 'X' }, principal))),
      ).toMatchObject({ code });
      expect(await errorOf(sut.list(t.envelope({}, principal)))).toMatchObject({ code });
      expect(
        await errorOf(sut.createUser(t.envelope({ ...adminDto(), tenant: tenant.number }, principal))),
      ).toMatchObject({ code });
    }
  });

  it('creates the representative admin without a password, who then sets one through the reset flow (AUTH-14)', async () => {
    const tenant = await t.newTenant();
    const dto = adminDto({ mfaRequired: true });
    const view = await sut.createUser(t.envelope({ ...dto, tenant: tenant.number }, asOperator));
    expect(view).toMatchObject({
      userId: dto.userId,
      email: dto.email,
      familyName: 'Suzuki',
      givenName: 'Ichiro',
      phone: '+819012345678',
      language: 'en',
      timezone: 'Asia/Tokyo',
      admin: true,
      mfaRequired: true,
      loginDisabled: false,
      locked: false,
    });
    const users = t.get(UsersService);
    const stored = await users.findAccount(dto.userId.toUpperCase());
    expect(stored?.user).toMatchObject({ id: view.id, passwordHash: null });
    expect(await users.membershipsOf(view.id)).toEqual([
      { number: tenant.number, name: tenant.name, role: 'admin' },
    ]);
    const [event] = await t.auditEvents({ type: 'auth.user.created', targetId: view.id });
    expect(event).toMatchObject({ actor: { userId: operator.id }, tenants: [tenant.number] });
    expect(JSON.stringify(event)).not.toContain(dto.email);

    await t.get(PasswordResetController).request(t.envelope({ userId: dto.userId, email: dto.email }));
    expect((await t.queued('email', { to: dto.email })).map((m) => m.template)).toEqual([
      'password-reset-link',
    ]);
  });

  it('refuses an unknown tenant as not_found', async () => {
    const error = await errorOf(
      sut.createUser(t.envelope({ ...adminDto(), tenant: tenantNumber() }, asOperator)),
    );
    expect(error.code).toBe(ErrorCode.NotFound);
    expect(
      (await errorOf(sut.createUser(t.envelope({ ...adminDto(), tenant: 'not a number' }, asOperator)))).code,
    ).toBe(ErrorCode.NotFound);
  });

  it('refuses a user ID used anywhere, whatever its case or spaces (AUTH-1)', async () => {
    const [a, b] = [await t.newTenant(), await t.newTenant()];
    const dto = adminDto();
    await sut.createUser(t.envelope({ ...dto, tenant: a.number }, asOperator));
    for (const variant of [dto.userId, ` ${dto.userId.toUpperCase()}`]) {
      const error = await errorOf(
        sut.createUser(t.envelope({ ...adminDto({ userId: variant }), tenant: b.number }, asOperator)),
      );
      expect(error.code).toBe(ErrorCode.UserIdTaken);
    }
  });

  it('creates one user when the same user ID is submitted 10 times at once', async () => {
    const tenants = await Promise.all(Array.from({ length: 10 }, () => t.newTenant()));
    const userId = `race-${randomId()}`;
    const results = await Promise.allSettled(
      tenants.map((tenant, i) =>
        sut.createUser(
          t.envelope(
            { ...adminDto({ userId: i % 2 ? userId.toUpperCase() : userId }), tenant: tenant.number },
            asOperator,
          ),
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') {
        expect((r.reason as DomainError).code).toBe(ErrorCode.UserIdTaken);
      }
    }
    // The losers left nothing behind: no membership without its user.
    const rows = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM auth.membership WHERE tenant_number = ANY($1)`,
      [tenants.map((x) => x.number)],
    );
    expect(rows[0].n).toBe(1);
  });

  it('keeps user IDs to 1–40 characters (AUTH-1)', async () => {
    const tenant = await t.newTenant();
    const forty = `a${randomId(9)}`.padEnd(40, 'x');
    await sut.createUser(t.envelope({ ...adminDto({ userId: forty }), tenant: tenant.number }, asOperator));
    for (const userId of [forty.replace(/^a/, 'b') + 'y', '   ', 'tab\tinside']) {
      const error = await errorOf(
        sut.createUser(t.envelope({ ...adminDto({ userId }), tenant: tenant.number }, asOperator)),
      );
      expect(error.code).toBe(ErrorCode.ValidationFailed);
      expect(error.details).toMatchObject({ fields: { userId: expect.any(Array) } });
    }
  });
});
