import { AuthenticatedResult } from '@app/contracts';
import { expectStatus } from '@app/testing';
import { AuthGateway } from './auth-gateway';

/**
 * AUTH-15 with a browser's reality: two tabs of one SPA refresh with the same refresh token at the
 * same moment. Within REFRESH_REUSE_GRACE_SECONDS both get the same successor and the session goes
 * on; past it, or once the successor was spent, a used token is a stolen copy and ends the session.
 */
describe('Refresh token reuse grace, through the gateway', () => {
  let platform: AuthGateway;

  beforeAll(async () => {
    platform = await AuthGateway.create({ config: { REFRESH_REUSE_GRACE_SECONDS: 10 } });
  });
  afterAll(async () => {
    await platform.close();
  });

  const refresh = (refreshToken: string) => platform.api('POST', '/auth/refresh', { body: { refreshToken } });
  const me = (accessToken: string) => platform.api('GET', '/me', { token: accessToken });

  async function signedIn(): Promise<AuthenticatedResult> {
    return platform.login(await platform.auth.newUser({ tenant: await platform.auth.newTenant() }));
  }

  it('two tabs refreshing at once both get a valid pair with the same successor; the session goes on', async () => {
    for (let round = 0; round < 3; round++) {
      const tokens = await signedIn();
      const [a, b] = await Promise.all([refresh(tokens.refreshToken), refresh(tokens.refreshToken)]);
      expectStatus(a, 200);
      expectStatus(b, 200);
      expect(a.body.refreshToken).toBe(b.body.refreshToken);
      expectStatus(await me(a.body.accessToken), 200);
      expectStatus(await me(b.body.accessToken), 200);
      // Either tab goes on with the successor.
      expectStatus(await refresh(b.body.refreshToken), 200);
    }
  });

  it('still ends the session for a used token past the grace', async () => {
    const tokens = await signedIn();
    const next = await refresh(tokens.refreshToken);
    expectStatus(next, 200);
    platform.auth.clock.advance(10_001);

    const reused = await refresh(tokens.refreshToken);
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('refresh_token_reused');
    const ended = await me(next.body.accessToken);
    expect(ended.status).toBe(401);
    expect(ended.body.error.code).toBe('session_ended');
    expect((await refresh(next.body.refreshToken)).status).toBe(401);
  });

  it('still ends the session when the successor was already spent, even within the grace', async () => {
    const tokens = await signedIn();
    const next = await refresh(tokens.refreshToken);
    expectStatus(await refresh(next.body.refreshToken), 200);

    const reused = await refresh(tokens.refreshToken);
    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('refresh_token_reused');
  });
});
