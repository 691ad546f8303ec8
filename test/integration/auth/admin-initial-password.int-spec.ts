import { AdminUserView, SecondFactorRequiredResult } from '@app/contracts';
import { expectStatus, randomId, strongPassword } from '@app/testing';
import { adminSession, AdminSession } from './admin-harness';
import { AuthGateway } from './auth-gateway';
import { UserFixture } from './auth-test-app';

/**
 * AUTH-14, creation side: an admin registered by another admin has no password until they set one
 * through the reset flow, and then enters the initial authentication password their admin chose,
 * once, at their first login.
 */
describe('Initial authentication password chosen at creation (AUTH-14), through the gateway', () => {
  let platform: AuthGateway;
  let session: AdminSession;

  beforeAll(async () => {
    platform = await AuthGateway.create();
    session = await adminSession(platform);
  });
  afterAll(async () => {
    await platform.close();
  });

  /** Creates an admin as the session's admin would, with `initial` as their initial password. */
  async function createAdmin(initial: string): Promise<AdminUserView> {
    const answer = await platform.api('POST', '/admin/users', {
      token: session.token,
      body: {
        familyName: 'Takahashi',
        email: `new-admin-${randomId(8)}@example.org`,
        admin: true,
        initialPassword: initial,
      },
    });
    expectStatus(answer, 201);
    return answer.body as AdminUserView;
  }

  /** AUTH-14/AUTH-16: the reset link from the e-mail, then a password of their own. */
  async function setPasswordThroughReset(view: AdminUserView): Promise<string> {
    expectStatus(
      await platform.api('POST', '/auth/password-reset', {
        body: { userId: view.userId, email: view.email },
      }),
      202,
    );
    const mails = await platform.auth.queued('email', { to: view.email, template: 'password-reset-link' });
    expect(mails).toHaveLength(1);
    const token = (mails[0].params as { link: string }).link.split('/password-reset/')[1];
    const password = strongPassword();
    expectStatus(
      await platform.api('POST', `/auth/password-reset/${token}`, { body: { newPassword: password } }),
      204,
    );
    return password;
  }

  it('is asked after the code at the first login, once, and the admin is then in', async () => {
    const initial = strongPassword();
    const view = await createAdmin(initial);

    // No password yet: the user ID alone gets nobody in.
    const before = await platform.api('POST', '/auth/login', {
      body: { userId: view.userId, password: initial },
    });
    expect(before.status).toBe(401);

    const password = await setPasswordThroughReset(view);
    const user = { id: view.id, userId: view.userId, password } as UserFixture;

    const first = (await platform.passwordStep(user)) as SecondFactorRequiredResult;
    // Admins always get a second step (AUTH-5).
    expect(first.status).toBe('second_factor_required');
    const second = await platform.codeStep(user, first.flowId, 'email');
    expect(second).toEqual({ status: 'initial_password_required', flowId: first.flowId });

    const wrong = await platform.api('POST', `/auth/login/${first.flowId}/initial-password`, {
      body: { initialPassword: password },
    });
    expect(wrong.status).toBe(401);
    const right = await platform.api('POST', `/auth/login/${first.flowId}/initial-password`, {
      body: { initialPassword: initial },
    });
    expectStatus(right, 200);
    expect(right.body).toMatchObject({ status: 'authenticated', activeTenant: session.tenant.number });
    expectStatus(await platform.api('GET', '/admin/users', { token: right.body.accessToken }), 200);

    // Single use: the next login goes from the code straight to a session.
    platform.auth.clock.advance(31_000);
    expect((await platform.login(user)).status).toBe('authenticated');
  });

  it('is not asked of a user created without admin rights', async () => {
    const answer = await platform.api('POST', '/admin/users', {
      token: session.token,
      body: { familyName: 'Ito', email: `user-${randomId(8)}@example.org`, mfaRequired: true },
    });
    expectStatus(answer, 201);
    const view = answer.body as AdminUserView;
    const password = await setPasswordThroughReset(view);
    const user = { id: view.id, userId: view.userId, password } as UserFixture;
    expect((await platform.login(user, { method: 'email' })).status).toBe('authenticated');
  });
});
