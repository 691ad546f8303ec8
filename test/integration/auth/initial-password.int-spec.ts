import { expectStatus, strongPassword } from '@app/testing';
import { InitialPassword } from '@app/auth/login-flow/initial-password.entity';
import { PasswordHasher } from '@app/auth/password/password-hasher';
import { AuthGateway } from './auth-gateway';
import { UserFixture } from './auth-test-app';

/** AUTH-14: an admin registered by another admin enters the initial password once, after the second step. */
describe('initial authentication password (AUTH-14), through the gateway', () => {
  let platform: AuthGateway;

  beforeAll(async () => {
    platform = await AuthGateway.create();
  });
  afterAll(async () => {
    await platform.close();
  });

  async function newAdminWithInitialPassword(): Promise<{ user: UserFixture; initial: string }> {
    const tenant = await platform.auth.newTenant();
    const user = await platform.auth.newUser({ tenant, role: 'admin' });
    const initial = strongPassword();
    await platform.auth.dataSource.getRepository(InitialPassword).insert({
      userId: user.id,
      passwordHash: await platform.auth.get(PasswordHasher).hash(initial),
      createdBy: null,
      createdAt: platform.auth.clock.now(),
      usedAt: null,
    });
    return { user, initial };
  }

  async function reachInitialPassword(user: UserFixture): Promise<string> {
    const first = await platform.passwordStep(user);
    expect(first.status).toBe('second_factor_required');
    const flowId = (first as { flowId: string }).flowId;
    const second = await platform.codeStep(user, flowId, 'email');
    expect(second).toEqual({ status: 'initial_password_required', flowId });
    return flowId;
  }

  it('asks for it after the code and starts a session only with the right one', async () => {
    const { user, initial } = await newAdminWithInitialPassword();
    const flowId = await reachInitialPassword(user);

    const wrong = await platform.api('POST', `/auth/login/${flowId}/initial-password`, {
      body: { initialPassword: 'Not-the-initial-1' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');

    const right = await platform.api('POST', `/auth/login/${flowId}/initial-password`, {
      body: { initialPassword: initial },
    });
    expectStatus(right, 200);
    expect(right.body.status).toBe('authenticated');
    expect(right.body.activeTenant).toBe(user.tenant);

    const events = await platform.auth.auditEvents({
      actorUserId: user.id,
      type: 'auth.login.initial_password_failed',
    });
    expect(events).toHaveLength(1);
  });

  it('is single use: the next login goes straight from the code to a session', async () => {
    const { user, initial } = await newAdminWithInitialPassword();
    const flowId = await reachInitialPassword(user);
    expectStatus(
      await platform.api('POST', `/auth/login/${flowId}/initial-password`, {
        body: { initialPassword: initial },
      }),
      200,
    );
    // The finished flow cannot be used again.
    const again = await platform.api('POST', `/auth/login/${flowId}/initial-password`, {
      body: { initialPassword: initial },
    });
    expect(again.status).toBe(410);

    platform.auth.clock.advance(31_000);
    const tokens = await platform.login(user);
    expect(tokens.status).toBe('authenticated');
  });

  it('cannot be entered before the second step', async () => {
    const { user, initial } = await newAdminWithInitialPassword();
    const first = await platform.passwordStep(user);
    const flowId = (first as { flowId: string }).flowId;
    const early = await platform.api('POST', `/auth/login/${flowId}/initial-password`, {
      body: { initialPassword: initial },
    });
    expect(early.status).toBe(410);
    expect(early.body.error.code).toBe('flow_expired');
  });

  it('counts wrong entries toward the lockout (AUTH-3)', async () => {
    const { user } = await newAdminWithInitialPassword();
    const flowId = await reachInitialPassword(user);
    for (let i = 0; i < 5; i++) {
      const wrong = await platform.api('POST', `/auth/login/${flowId}/initial-password`, {
        body: { initialPassword: `Wrong-initial-${i}` },
      });
      expect(wrong.status).toBe(401);
    }
    const locked = await platform.api('POST', `/auth/login/${flowId}/initial-password`, {
      body: { initialPassword: 'Wrong-initial-6' },
    });
    expect(locked.status).toBe(423);
  });
});
