import { expectStatus, strongPassword } from '@app/testing';
import { PasswordHasher } from '@app/auth/password/password-hasher';
import { User } from '@app/auth/users/user.entity';
import { AuthGateway } from './auth-gateway';
import { UserFixture } from './auth-test-app';

/**
 * AUTH-17 through the gateway: the signed-in user changes their password after a fresh second step
 * (AUTH-12); the current password is checked under the lockout (AUTH-3), the new one under the
 * policy (AUTH-2); the other sessions end, the caller's goes on.
 */
describe('password change (AUTH-17), through the gateway', () => {
  let platform: AuthGateway;

  beforeAll(async () => {
    platform = await AuthGateway.create();
  });
  afterAll(async () => {
    await platform.close();
  });

  /** A user signed in with a second step just done, so the first sensitive call needs no step-up. */
  async function signedIn(): Promise<{ user: UserFixture; token: string; refreshToken: string }> {
    const user = await platform.auth.newUser({ tenant: await platform.auth.newTenant(), mfaRequired: true });
    const tokens = await platform.login(user);
    return { user, token: tokens.accessToken, refreshToken: tokens.refreshToken };
  }

  const change = (token: string, body: Record<string, unknown>) =>
    platform.api('POST', '/me/password', { token, body });

  async function storedPasswordIs(user: UserFixture, password: string): Promise<boolean> {
    const row = await platform.auth.dataSource.getRepository(User).findOneByOrFail({ id: user.id });
    return platform.auth.get(PasswordHasher).verify(row.passwordHash, password);
  }

  it('changes the password: the old one no longer logs in, the new one does; other sessions end, this one goes on', async () => {
    const { user, token, refreshToken } = await signedIn();
    const other = await platform.login(user);
    const newPassword = strongPassword();

    const answer = await change(token, {
      currentPassword: user.password,
      newPassword,
      confirmation: newPassword,
    });
    expectStatus(answer, 204);

    const old = await platform.api('POST', '/auth/login', {
      body: { userId: user.userId, password: user.password },
    });
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('invalid_credentials');
    const renewed = await platform.login({ ...user, password: newPassword });
    expect(renewed.status).toBe('authenticated');

    // The other session is over: its refresh token and its access token are refused.
    const otherRefresh = await platform.api('POST', '/auth/refresh', {
      body: { refreshToken: other.refreshToken },
    });
    expect(otherRefresh.status).toBe(401);
    expect((await platform.api('GET', '/me', { token: other.accessToken })).status).toBe(401);
    // The caller's session goes on.
    expectStatus(await platform.api('GET', '/me', { token }), 200);
    expectStatus(await platform.api('POST', '/auth/refresh', { body: { refreshToken } }), 200);

    const changed = await platform.auth.auditEvents({ actorUserId: user.id, type: 'auth.password.changed' });
    expect(changed).toHaveLength(1);
    expect(changed[0].target).toEqual({ type: 'user', id: user.id });
    const ended = await platform.auth.auditEvents({ actorUserId: user.id, type: 'auth.session.ended' });
    expect(ended.map((e) => e.reasons)).toEqual([['password_changed']]);

    const notices = await platform.auth.queued('email', { userId: user.id, template: 'password-changed' });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ to: [user.email], language: 'ja', params: {} });
  });

  it('accepts the call without a confirmation, as API.md lists it', async () => {
    const { user, token } = await signedIn();
    const newPassword = strongPassword();
    expectStatus(await change(token, { currentPassword: user.password, newPassword }), 204);
    expect(await storedPasswordIs(user, newPassword)).toBe(true);
  });

  it('refuses a new password against the policy with the rule ids, without costing a try of the lockout', async () => {
    const { user, token } = await signedIn();
    const weak = await change(token, { currentPassword: user.password, newPassword: 'short' });
    expect(weak.status).toBe(422);
    expect(weak.body.error.code).toBe('password_policy');
    expect(weak.body.error.details.violations).toEqual(
      expect.arrayContaining(['min_length', 'upper', 'digit', 'symbol']),
    );

    const good = strongPassword();
    const mismatch = await change(token, {
      currentPassword: user.password,
      newPassword: good,
      confirmation: `${good}x`,
    });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.error.details.violations).toEqual(['confirmation_matches']);

    const withName = await change(token, { currentPassword: user.password, newPassword: 'Sato#Secure2026x' });
    expect(withName.status).toBe(422);
    expect(withName.body.error.details.violations).toEqual(['not_weak']);

    // Six refusals and still not locked: a policy refusal checks no password.
    for (let i = 0; i < 3; i++) {
      expect((await change(token, { currentPassword: user.password, newPassword: 'short' })).status).toBe(
        422,
      );
    }
    expect(await storedPasswordIs(user, user.password as string)).toBe(true);
    expectStatus(await change(token, { currentPassword: user.password, newPassword: good }), 204);
  });

  it('counts a wrong current password toward the lockout: 5 wrong → 401 each, then 423 even for the right one', async () => {
    const { user, token } = await signedIn();
    const newPassword = strongPassword();
    for (let i = 0; i < 5; i++) {
      const wrong = await change(token, { currentPassword: `Wrong#Pass${i}word`, newPassword });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('invalid_credentials');
    }
    const locked = await change(token, { currentPassword: user.password, newPassword });
    expect(locked.status).toBe(423);
    expect(locked.body.error.code).toBe('account_locked');
    expect(locked.body.error.details.retryAfter).toBeGreaterThan(0);
    // The same lock as the login's (one count per user ID).
    const login = await platform.api('POST', '/auth/login', {
      body: { userId: user.userId, password: user.password },
    });
    expect(login.status).toBe(423);
    expect(await storedPasswordIs(user, user.password as string)).toBe(true);

    const failed = await platform.auth.auditEvents({ actorUserId: user.id, type: 'auth.login.failed' });
    expect(failed).toHaveLength(5);
    expect(failed.every((e) => e.reasons?.includes('password_change'))).toBe(true);
    const lockedOut = await platform.auth.auditEvents({
      actorUserId: user.id,
      type: 'auth.login.locked_out',
    });
    expect(lockedOut).toHaveLength(1);
  });

  it('never lets more than 5 concurrent wrong guesses through', async () => {
    const { token } = await signedIn();
    const newPassword = strongPassword();
    const answers = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        change(token, { currentPassword: `Wrong#Guess${i}xx`, newPassword }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 423)).toHaveLength(4);
  });

  it('of two concurrent changes with the same current password, exactly one wins', async () => {
    const { user, token } = await signedIn();
    const [a, b] = [strongPassword(), strongPassword()];
    const answers = await Promise.all([
      change(token, { currentPassword: user.password, newPassword: a }),
      change(token, { currentPassword: user.password, newPassword: b }),
    ]);
    expect(answers.map((x) => x.status).sort()).toEqual([204, 401]);
    const winner = answers[0].status === 204 ? a : b;
    expect(await storedPasswordIs(user, winner)).toBe(true);
  });

  it('needs a fresh second step: refused after 10 minutes, done after the step-up', async () => {
    const { user, token } = await signedIn();
    platform.staleSecondStep();
    const newPassword = strongPassword();

    const refused = await change(token, { currentPassword: user.password, newPassword });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('step_up_required');
    expect(refused.body.error.details.methods).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'email' })]),
    );
    expect(await storedPasswordIs(user, user.password as string)).toBe(true);

    const fresh = await platform.stepUp(user, refused);
    expectStatus(await change(fresh.accessToken, { currentPassword: user.password, newPassword }), 204);
    expect(await storedPasswordIs(user, newPassword)).toBe(true);
  });

  it('is refused without a token', async () => {
    const answer = await platform.api('POST', '/me/password', {
      body: { currentPassword: 'x', newPassword: 'y' },
    });
    expect(answer.status).toBe(401);
  });
});
