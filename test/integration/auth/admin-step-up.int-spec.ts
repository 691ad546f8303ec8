import { errorCode, expectStatus, randomId, strongPassword } from '@app/testing';
import { User } from '@app/auth/users/user.entity';
import { AuditCapture, adminSession, AdminSession, memberOf } from './admin-harness';
import { AuthGateway } from './auth-gateway';

/**
 * AUTH-12: every change a tenant admin makes to a user needs a second step within the last 10
 * minutes. Without one the call answers `403 step_up_required` and changes nothing; after the step-up
 * the same call succeeds with the fresh token.
 */
describe('Step-up for tenant admin changes (AUTH-12), through the gateway', () => {
  let platform: AuthGateway;
  let audit: AuditCapture;
  let session: AdminSession;

  beforeAll(async () => {
    platform = await AuthGateway.create();
    audit = await AuditCapture.start(platform);
    session = await adminSession(platform);
  });
  afterAll(async () => {
    await audit?.stop();
    await platform.close();
  });

  const stored = (id: string) => platform.auth.dataSource.getRepository(User).findOneByOrFail({ id });

  interface Case {
    action: string;
    method: string;
    path: (id: string) => string;
    body?: () => unknown;
    status: number;
    /** The target as the call needs it beforehand. */
    prepare?: (id: string) => Promise<void>;
    /** True when the call's effect is visible on the stored user. */
    changed: (user: User) => boolean;
  }

  const lock = async (id: string) => {
    const { userId } = await stored(id);
    for (let i = 0; i < 5; i++) {
      await platform.api('POST', '/auth/login', { body: { userId, password: strongPassword() } });
    }
  };
  const lockedNow = async (key: string) =>
    (
      await platform.auth.dataSource.query(
        `SELECT 1 FROM auth.login_throttle WHERE key = $1 AND locked_until > $2`,
        [key, platform.auth.clock.now()],
      )
    ).length > 0;

  const cases: Case[] = [
    {
      action: 'create',
      method: 'POST',
      path: () => '/admin/users',
      body: () => ({ familyName: 'Kato', email: `stepup-${randomId(8)}@example.org` }),
      status: 201,
      changed: () => true,
    },
    {
      action: 'edit',
      method: 'PATCH',
      path: (id) => `/admin/users/${id}`,
      body: () => ({ title: 'Edited' }),
      status: 200,
      changed: (u) => u.title === 'Edited',
    },
    {
      action: 'user-id change',
      method: 'PUT',
      path: (id) => `/admin/users/${id}/user-id`,
      body: () => ({ userId: `stepped-${randomId(8)}` }),
      status: 200,
      changed: (u) => u.userId.startsWith('stepped-'),
    },
    {
      action: 'disable',
      method: 'POST',
      path: (id) => `/admin/users/${id}/disable`,
      status: 204,
      changed: (u) => u.loginDisabled,
    },
    {
      action: 'enable',
      method: 'POST',
      path: (id) => `/admin/users/${id}/enable`,
      status: 204,
      prepare: async (id) => {
        await platform.auth.dataSource.getRepository(User).update({ id }, { loginDisabled: true });
      },
      changed: (u) => !u.loginDisabled,
    },
    {
      action: 'unlock',
      method: 'POST',
      path: (id) => `/admin/users/${id}/unlock`,
      status: 204,
      prepare: lock,
      changed: () => true,
    },
    {
      action: 'notification e-mail',
      method: 'PUT',
      path: (id) => `/admin/users/${id}/notification-email`,
      body: () => ({ email: 'stepped-desk@example.org' }),
      status: 200,
      changed: () => true,
    },
    {
      action: 'e-mail deliverable',
      method: 'POST',
      path: (id) => `/admin/users/${id}/email-deliverable`,
      status: 204,
      prepare: async (id) => {
        await platform.auth.dataSource.getRepository(User).update({ id }, { emailUndeliverable: true });
      },
      changed: (u) => !u.emailUndeliverable,
    },
  ];

  it.each(cases.map((c) => [c.action, c] as const))(
    '%s: refused without a fresh second step, done after the step-up',
    async (_action, c) => {
      const target = await memberOf(platform, session);
      await c.prepare?.(target.id);
      const before = await stored(target.id);
      const body = c.body?.();

      platform.staleSecondStep();
      const refused = await platform.api(c.method, c.path(target.id), { token: session.token, body });
      expect(refused.status).toBe(403);
      expect(errorCode(refused)).toBe('step_up_required');
      expect(refused.body.error.details).toMatchObject({
        flowId: expect.any(String),
        methods: expect.arrayContaining([expect.objectContaining({ type: 'email' })]),
      });

      // Nothing happened.
      expect(await stored(target.id)).toEqual(before);
      if (c.action === 'unlock') {
        expect(await lockedNow(target.userIdKey)).toBe(true);
      }
      if (c.action === 'create') {
        const created: unknown[] = await platform.auth.dataSource.query(
          `SELECT 1 FROM auth.app_user WHERE email = $1`,
          [(body as { email: string }).email],
        );
        expect(created).toHaveLength(0);
      }

      const fresh = await platform.stepUp(session.admin, refused);
      session = { ...session, token: fresh.accessToken };
      const retried = await platform.api(c.method, c.path(target.id), { token: session.token, body });
      expectStatus(retried, c.status);
      if (c.action === 'unlock') {
        expect(await lockedNow(target.userIdKey)).toBe(false);
      } else if (c.action !== 'create') {
        expect(c.changed(await stored(target.id))).toBe(true);
      }

      const [asked] = await audit.events({
        targetId: refused.body.error.details.flowId,
        type: 'auth.step_up.required',
      });
      expect(asked.reasons?.[0]).toMatch(/^admin\.user\./);
    },
  );

  it('reads need no step-up', async () => {
    const target = await memberOf(platform, session);
    platform.staleSecondStep();
    expectStatus(await platform.api('GET', '/admin/users', { token: session.token }), 200);
    expectStatus(await platform.api('GET', `/admin/users/${target.id}`, { token: session.token }), 200);
    expectStatus(
      await platform.api('GET', '/admin/users/suggested-id?email=a%40example.org', { token: session.token }),
      200,
    );
  });
});
