import { UserView } from '@app/contracts';
import { errorCode, expectStatus, randomId } from '@app/testing';
import { AuthGateway } from './auth-gateway';
import { UserFixture } from './auth-test-app';

/** `GET /ops/tenants/{number}/admins`: who represents a tenant, for operators only (CASE-1). */
describe("Operators read a tenant's representative admins, through the gateway", () => {
  let platform: AuthGateway;
  let operator: UserFixture;
  let operatorToken: string;

  beforeAll(async () => {
    platform = await AuthGateway.create();
    operator = await platform.auth.newUser({ operator: true });
    operatorToken = (await platform.login(operator)).accessToken;
  });
  afterAll(() => platform.close());

  const admins = (number: string, token = operatorToken) =>
    platform.api('GET', `/ops/tenants/${number}/admins`, { token });

  it('lists every admin of the tenant, in the order they became admins, whoever made them, and no one else', async () => {
    const tenant = await platform.auth.newTenant();
    const other = await platform.auth.newTenant();
    expectStatus(await admins(tenant.number), 200);
    expect((await admins(tenant.number)).body).toEqual([]);

    // One made by another operator's session (here: the fixture), one through the API now.
    const first = await platform.auth.newUser({ tenant, role: 'admin' });
    await platform.auth.newUser({ tenant, role: 'user' });
    await platform.auth.newUser({ tenant: other, role: 'admin' });
    // Auth's clock is the test's: each later admin becomes one a minute after the one before.
    platform.auth.clock.set(new Date(Date.now() + 60_000));
    const userId = `rep-${randomId(8)}`;
    const created = await platform.api('POST', `/ops/tenants/${tenant.number}/users`, {
      token: operatorToken,
      body: { userId, email: `${userId}@example.test`, familyName: '山田', admin: true },
    });
    expectStatus(created, 201);
    // A user of another tenant made an admin here counts too (AUTH-18).
    const member = await platform.auth.newUser({ tenant: other, role: 'user' });
    platform.auth.clock.set(new Date(Date.now() + 120_000));
    expectStatus(
      await platform.api('POST', `/ops/tenants/${tenant.number}/members`, {
        token: operatorToken,
        body: { userId: member.userId, admin: true },
      }),
      201,
    );

    const answer = await admins(tenant.number);
    expectStatus(answer, 200);
    const listed = answer.body as UserView[];
    expect(listed.map((u) => u.id)).toEqual([first.id, (created.body as UserView).id, member.id]);
    expect(listed[1]).toEqual(created.body);
    expect(listed.every((u) => u.admin)).toBe(true);
    expect(listed[0]).toMatchObject({ userId: first.userId, locked: false, loginDisabled: false });
  });

  it('answers 404 for an unknown tenant and 400 for a malformed number', async () => {
    const unknown = await admins(`T${randomId(12).toUpperCase()}`);
    expect([unknown.status, errorCode(unknown)]).toEqual([404, 'not_found']);
    const malformed = await admins('not a tenant');
    expect([malformed.status, errorCode(malformed)]).toEqual([400, 'validation_failed']);
  });

  it('refuses anyone but an operator: 401 without a token, 403 to a tenant admin of that very tenant', async () => {
    const tenant = await platform.auth.newTenant();
    const admin = await platform.auth.newUser({ tenant, role: 'admin' });
    const none = await platform.api('GET', `/ops/tenants/${tenant.number}/admins`);
    expect([none.status, errorCode(none)]).toEqual([401, 'unauthorized']);
    const adminToken = (await platform.login(admin)).accessToken;
    const refused = await admins(tenant.number, adminToken);
    expect([refused.status, errorCode(refused)]).toEqual([403, 'forbidden']);
  });
});
