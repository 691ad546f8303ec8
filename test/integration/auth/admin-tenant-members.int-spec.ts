import { errorCode, expectStatus, randomId } from '@app/testing';
import { Membership } from '@app/auth/tenants/membership.entity';
import { AuditCapture, adminSession } from './admin-harness';
import { AuthGateway } from './auth-gateway';
import { UserFixture } from './auth-test-app';

/** AUTH-18: an operator adds an existing user to another tenant (`POST /ops/tenants/{number}/members`). */
describe('Operators add users to more tenants (AUTH-18), through the gateway', () => {
  let platform: AuthGateway;
  let audit: AuditCapture;
  let operator: UserFixture;
  let operatorToken: string;

  beforeAll(async () => {
    platform = await AuthGateway.create();
    audit = await AuditCapture.start(platform);
    operator = await platform.auth.newUser({ operator: true });
    operatorToken = (await platform.login(operator)).accessToken;
  });
  afterAll(async () => {
    await audit?.stop();
    await platform.close();
  });

  const addMember = (number: string, body: unknown, token = operatorToken) =>
    platform.api('POST', `/ops/tenants/${number}/members`, { token, body });
  const memberships = (userId: string) =>
    platform.auth.dataSource
      .getRepository(Membership)
      .find({ where: { userId }, order: { tenantNumber: 'ASC' } });

  it('adds the user with a role there; they pick the tenant after login and act in it', async () => {
    const [home, second] = [await platform.auth.newTenant(), await platform.auth.newTenant()];
    const user = await platform.auth.newUser({ tenant: home, role: 'user' });

    // The user ID as typed: case and surrounding spaces do not matter (AUTH-1).
    const answer = await addMember(second.number, { userId: ` ${user.userId.toUpperCase()} `, admin: true });
    expectStatus(answer, 201);
    expect(answer.body).toMatchObject({
      id: user.id,
      userId: user.userId,
      admin: true,
      notificationEmail: null,
    });
    expect((await memberships(user.id)).map((m) => [m.tenantNumber, m.role]).sort()).toEqual(
      [
        [home.number, 'user'],
        [second.number, 'admin'],
      ].sort(),
    );

    const tokens = await platform.login(user);
    expect(tokens.activeTenant).toBeNull();
    expect(tokens.tenants.map((t) => [t.number, t.role]).sort()).toEqual(
      [
        [home.number, 'user'],
        [second.number, 'admin'],
      ].sort(),
    );
    const picked = await platform.api('POST', '/auth/tenant', {
      token: tokens.accessToken,
      body: { tenant: second.number },
    });
    expectStatus(picked, 200);
    const list = await platform.api('GET', '/admin/users', { token: picked.body.accessToken });
    expectStatus(list, 200);
    expect(list.body.map((u: { id: string }) => u.id)).toEqual([user.id]);

    const [event] = await audit.events({ targetId: user.id, type: 'auth.member.added' });
    expect(event).toMatchObject({
      actor: { userId: operator.id },
      target: { type: 'user', id: user.id },
      outcome: 'success',
      reasons: ['tenant_admin'],
    });
    // The tenant joined only: the home tenant is not told where else its user works (issue 16).
    expect(event.tenants).toEqual([second.number]);
    expect(JSON.stringify(event).toLowerCase()).not.toContain(user.userId.toLowerCase());
  });

  it('adds as a plain user unless told otherwise', async () => {
    const [home, second] = [await platform.auth.newTenant(), await platform.auth.newTenant()];
    const user = await platform.auth.newUser({ tenant: home, role: 'admin' });
    const answer = await addMember(second.number, { userId: user.userId });
    expectStatus(answer, 201);
    expect(answer.body.admin).toBe(false);
  });

  it('answers 404 for an unknown tenant or user, 409 for a member or an operator, 400 when malformed', async () => {
    const tenant = await platform.auth.newTenant();
    const user = await platform.auth.newUser({ tenant, role: 'user' });

    const unknownTenant = await addMember(`N${randomId(10).toUpperCase()}`, { userId: user.userId });
    expect([unknownTenant.status, errorCode(unknownTenant)]).toEqual([404, 'not_found']);
    const unknownUser = await addMember(tenant.number, { userId: `nobody-${randomId(8)}` });
    expect([unknownUser.status, errorCode(unknownUser)]).toEqual([404, 'not_found']);

    const again = await addMember(tenant.number, { userId: user.userId, admin: true });
    expect([again.status, errorCode(again)]).toEqual([409, 'conflict']);
    // The role already held there is not changed by a second addition.
    expect((await memberships(user.id)).map((m) => m.role)).toEqual(['user']);

    const anotherOperator = await platform.auth.newUser({ operator: true });
    const op = await addMember(tenant.number, { userId: anotherOperator.userId });
    expect([op.status, errorCode(op)]).toEqual([409, 'conflict']);
    expect(await memberships(anotherOperator.id)).toEqual([]);

    for (const body of [
      {},
      { userId: '' },
      { userId: user.userId, admin: 'yes' },
      { userId: user.userId, role: 'admin' },
    ]) {
      expect((await addMember(tenant.number, body)).status).toBe(400);
    }
    expect((await addMember('lower-case', { userId: user.userId })).status).toBe(400);
  });

  it('makes one membership when the same addition arrives 5 times at once', async () => {
    const [home, second] = [await platform.auth.newTenant(), await platform.auth.newTenant()];
    const user = await platform.auth.newUser({ tenant: home, role: 'user' });
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => addMember(second.number, { userId: user.userId })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(await memberships(user.id)).toHaveLength(2);
  });

  it('is for operators only', async () => {
    const admin = await adminSession(platform);
    const other = await platform.auth.newTenant();
    const user = await platform.auth.newUser({ tenant: admin.tenant, role: 'user' });
    const refused = await addMember(other.number, { userId: user.userId }, admin.token);
    expect(refused.status).toBe(403);
    expect(await memberships(user.id)).toHaveLength(1);
    expect((await addMember(other.number, { userId: user.userId }, '')).status).toBe(401);
  });
});
