import { expectStatus, strongPassword } from '@app/testing';
import { AuthGateway } from './auth-gateway';
import { UserFixture } from './auth-test-app';

const OFFICE = { ip: '203.0.113.40', userAgent: 'Mozilla/5.0 (Windows NT 10.0) Office' };

/**
 * A credential change voids what hung on the old credential (AUTH-9, AUTH-16, AUTH-17, AUTH-19):
 * trusted browsers, reset links and sessions. Through the gateway, as a browser would.
 */
describe('Credential changes void what hangs on the old credential, through the gateway', () => {
  let platform: AuthGateway;
  let operatorToken: string;

  beforeAll(async () => {
    platform = await AuthGateway.create();
    const operator = await platform.auth.newUser({ operator: true });
    operatorToken = (await platform.login(operator)).accessToken;
  });
  afterAll(async () => {
    await platform.close();
  });

  async function mfaUser(): Promise<UserFixture> {
    return platform.auth.newUser({ tenant: await platform.auth.newTenant(), mfaRequired: true });
  }

  /** Asks for a reset link as the user would and returns its token, read from the queued e-mail. */
  async function resetLink(user: UserFixture): Promise<string> {
    expectStatus(
      await platform.api('POST', '/auth/password-reset', {
        body: { userId: user.userId, email: user.email },
      }),
      202,
    );
    const mails = await platform.auth.queued('email', { userId: user.id, template: 'password-reset-link' });
    return (mails[mails.length - 1].params as { link: string }).link.split('/password-reset/')[1];
  }

  /** `POST /me/password` with a fresh step-up; returns the user with the new password. */
  async function changePassword(user: UserFixture, accessToken: string): Promise<UserFixture> {
    const newPassword = strongPassword();
    const body = { currentPassword: user.password, newPassword };
    const answer = await platform.api('POST', '/me/password', { token: accessToken, body });
    expectStatus(answer, 204);
    return { ...user, password: newPassword };
  }

  it('a password change makes every trusted browser of the user ask for the second step again', async () => {
    const user = await mfaUser();
    const trusted = await platform.login(user, { trustBrowser: 'Office PC', ...OFFICE });
    const deviceToken = trusted.deviceToken as string;
    expect((await platform.passwordStep(user, { deviceToken, ...OFFICE })).status).toBe('authenticated');

    const changed = await changePassword(user, trusted.accessToken);

    const next = await platform.passwordStep(changed, { deviceToken, ...OFFICE });
    expect(next.status).toBe('second_factor_required');
  });

  it('a password change voids an outstanding reset link and ends the other sessions', async () => {
    const user = await mfaUser();
    const token = await resetLink(user);
    expectStatus(await platform.api('GET', `/auth/password-reset/${token}`), 200);
    const other = await platform.login(user);
    const mine = await platform.login(user);

    const changed = await changePassword(user, mine.accessToken);

    const inspect = await platform.api('GET', `/auth/password-reset/${token}`);
    expect(inspect.status).toBe(410);
    expect(inspect.body.error.code).toBe('reset_token_invalid');
    const use = await platform.api('POST', `/auth/password-reset/${token}`, {
      body: { newPassword: strongPassword() },
    });
    expect(use.status).toBe(410);
    expect(use.body.error.code).toBe('reset_token_invalid');
    // The new password stands.
    expect((await platform.passwordStep(changed)).status).toBe('second_factor_required');

    const ended = await platform.api('GET', '/me', { token: other.accessToken });
    expect(ended.status).toBe(401);
    expect(ended.body.error.code).toBe('session_ended');
    expectStatus(await platform.api('GET', '/me', { token: mine.accessToken }), 200);
  });

  it('a new reset request voids the link sent before it; the newest one works', async () => {
    const user = await mfaUser();
    const first = await resetLink(user);
    const second = await resetLink(user);
    expect(second).not.toBe(first);

    const old = await platform.api('GET', `/auth/password-reset/${first}`);
    expect(old.status).toBe(410);
    expect(old.body.error.code).toBe('reset_token_invalid');
    expectStatus(await platform.api('GET', `/auth/password-reset/${second}`), 200);
    expectStatus(
      await platform.api('POST', `/auth/password-reset/${second}`, {
        body: { newPassword: strongPassword() },
      }),
      204,
    );
  });

  it("an operator's MFA reset ends every session of the user", async () => {
    const tenant = await platform.auth.newTenant();
    const user = await platform.auth.newUser({
      tenant,
      mfaRequired: true,
      familyName: '佐藤',
      givenName: '花子',
      phone: '+819012345678',
    });
    const sessions = [await platform.login(user), await platform.login(user)];
    for (const s of sessions) {
      expectStatus(await platform.api('GET', '/me', { token: s.accessToken }), 200);
    }

    const reset = await platform.api('POST', `/ops/users/${user.id}/mfa-reset`, {
      token: operatorToken,
      body: {
        caseNumber: 'CS0000456',
        email: user.email,
        familyName: '佐藤',
        givenName: '花子',
        company: tenant.name,
      },
    });
    expectStatus(reset, 204);

    for (const s of sessions) {
      const ended = await platform.api('GET', '/me', { token: s.accessToken });
      expect(ended.status).toBe(401);
      expect(ended.body.error.code).toBe('session_ended');
      const refresh = await platform.api('POST', '/auth/refresh', { body: { refreshToken: s.refreshToken } });
      expect(refresh.status).toBe(401);
    }
  });
});
