import { expectStatus } from '@app/testing';
import { AuthGateway } from './auth-gateway';
import { UserFixture } from './auth-test-app';

/**
 * A step-up flow belongs to the session that was asked for it (AUTH-12): its verify needs that
 * session's access token, so a flow id seen elsewhere cannot be spent for fresh tokens.
 */
describe('Step-up verify needs the bearer token of its session, through the gateway', () => {
  let platform: AuthGateway;

  beforeAll(async () => {
    platform = await AuthGateway.create();
  });
  afterAll(async () => {
    await platform.close();
  });

  /** A signed-in user whose second step is stale, and the flow id of the step-up a call asked for. */
  async function stepUpFlow(): Promise<{ user: UserFixture; accessToken: string; flowId: string }> {
    const user = await platform.auth.newUser({ tenant: await platform.auth.newTenant(), mfaRequired: true });
    const { accessToken } = await platform.login(user, { method: 'email' });
    platform.staleSecondStep();
    const refused = await platform.api('POST', '/me/password', {
      token: accessToken,
      body: { currentPassword: user.password, newPassword: 'Whatever-1234!' },
    });
    expect(refused.body.error.code).toBe('step_up_required');
    const flowId = refused.body.error.details.flowId as string;
    expectStatus(
      await platform.api('POST', `/auth/login/${flowId}/challenge`, { body: { method: 'email' } }),
      202,
    );
    return { user, accessToken, flowId };
  }

  const verify = (flowId: string, code: string, token?: string) =>
    platform.api('POST', `/auth/login/${flowId}/verify`, { body: { method: 'email', code }, token });

  it('refuses a verify without a token (401) or with a bad one, and leaves the code for the session', async () => {
    const { user, accessToken, flowId } = await stepUpFlow();
    const code = await platform.auth.lastCode(user.id, 'email');

    const bare = await verify(flowId, code);
    expect(bare.status).toBe(401);
    expect(bare.body.error.code).toBe('unauthorized');
    const forged = await verify(flowId, code, `${accessToken.slice(0, -4)}AAAA`);
    expect(forged.status).toBe(401);

    const own = await verify(flowId, code, accessToken);
    expectStatus(own, 200);
    expect(own.body.status).toBe('authenticated');
  });

  it("refuses the token of the user's other session and of another user like an unknown flow (410 flow_expired)", async () => {
    const { user, accessToken, flowId } = await stepUpFlow();
    const code = await platform.auth.lastCode(user.id, 'email');
    const otherSession = await platform.login(user, { method: 'email' });
    const stranger = await platform.auth.newUser({ tenant: await platform.auth.newTenant() });
    const strangerSession = await platform.login(stranger);

    for (const token of [otherSession.accessToken, strangerSession.accessToken]) {
      const answer = await verify(flowId, code, token);
      expect(answer.status).toBe(410);
      expect(answer.body.error.code).toBe('flow_expired');
    }
    expectStatus(await verify(flowId, code, accessToken), 200);
  });

  it('still lets a login flow be verified without any token', async () => {
    const user = await platform.auth.newUser({ tenant: await platform.auth.newTenant(), mfaRequired: true });
    const tokens = await platform.login(user, { method: 'email' });
    expect(tokens.status).toBe('authenticated');
  });
});
