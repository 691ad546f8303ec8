import { generate } from '@otplib/totp';
import { expectStatus } from '@app/testing';
import { LoginAccountRepository } from '@app/auth/users/login-account.repository';
import { LoginFlow } from '@app/auth/flows/login-flow.entity';
import { SecondStepMethods } from '@app/auth/flows/second-step-methods';
import { TotpCodes } from '@app/auth/totp/totp-codes';
import { AuditCapture } from './admin-harness';
import { AuthGateway } from './auth-gateway';
import { UserFixture } from './auth-test-app';

const STEP_MS = 30_000;

/** AUTH-8: authenticator app (TOTP) — enrolment, login, replay protection, drift, step-up. */
describe('authenticator app (AUTH-8), through the gateway', () => {
  let platform: AuthGateway;
  // Audit facts as committed (see AuditCapture: another file's relay may publish our outbox rows).
  let audit: AuditCapture;

  beforeAll(async () => {
    platform = await AuthGateway.create();
    audit = await AuditCapture.start(platform);
  });
  afterAll(async () => {
    await audit.stop();
    await platform.close();
  });

  /** The code an authenticator app shows at `stepOffset` steps from the auth service's clock, by otplib. */
  function codeAt(secret: string, stepOffset = 0): Promise<string> {
    const epoch = Math.floor(platform.auth.clock.now().getTime() / 1000) + stepOffset * 30;
    return generate({ ...TotpCodes.plugins, secret, epoch });
  }

  /** Moves to the start of the next time step, so a fresh code exists and stays valid for 30 s. */
  function nextStep(): void {
    const now = platform.auth.clock.now().getTime();
    platform.auth.clock.advance(STEP_MS - (now % STEP_MS) + 1000);
  }

  async function newUser(): Promise<UserFixture> {
    return platform.auth.newUser({ tenant: await platform.auth.newTenant(), mfaRequired: true });
  }

  async function enrol(accessToken: string): Promise<{ secret: string; otpauthUri: string; qrCode: string }> {
    const answer = await platform.api('POST', '/me/mfa/totp', { token: accessToken });
    expectStatus(answer, 201);
    return answer.body;
  }

  /** A user with an enabled authenticator app; the clock is on a step after the confirming code's. */
  async function enrolledUser(): Promise<{ user: UserFixture; secret: string; accessToken: string }> {
    const user = await newUser();
    const { accessToken } = await platform.login(user);
    const { secret } = await enrol(accessToken);
    expectStatus(
      await platform.api('POST', '/me/mfa/totp/confirm', {
        token: accessToken,
        body: { code: await codeAt(secret) },
      }),
      204,
    );
    nextStep();
    return { user, secret, accessToken };
  }

  async function loginFlow(user: UserFixture): Promise<string> {
    const first = await platform.passwordStep(user);
    expect(first.status).toBe('second_factor_required');
    return (first as { flowId: string }).flowId;
  }

  /** `token`: the session's access token, which the verify of a step-up flow needs. */
  function verifyTotp(flowId: string, code: string, token?: string) {
    return platform.api('POST', `/auth/login/${flowId}/verify`, { body: { method: 'totp', code }, token });
  }

  it('turns MFA on for a user who had it off: the next login asks for the app (AUTH-5)', async () => {
    const user = await platform.auth.newUser({ tenant: await platform.auth.newTenant() });
    const signedIn = await platform.login(user);
    // A session without a second step: setting up the app asks for one first (AUTH-12).
    const refused = await platform.api('POST', '/me/mfa/totp', { token: signedIn.accessToken });
    const stepped = await platform.stepUp(user, refused);
    const { secret } = await enrol(stepped.accessToken);
    expectStatus(
      await platform.api('POST', '/me/mfa/totp/confirm', {
        token: stepped.accessToken,
        body: { code: await codeAt(secret) },
      }),
      204,
    );
    nextStep();

    const next = await platform.passwordStep(user);
    expect(next.status).toBe('second_factor_required');
    expect((next as { reasons: string[] }).reasons).toContain('user_mfa');
    expect((next as { methods: { type: string }[] }).methods.map((m) => m.type)).toContain('totp');
    expectStatus(await verifyTotp((next as { flowId: string }).flowId, await codeAt(secret)), 200);
  });

  it('is enrolled with a QR code, offered only once confirmed with a right code, and then logs in', async () => {
    const user = await newUser();
    const { accessToken } = await platform.login(user);

    const enrolment = await enrol(accessToken);
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrolment.otpauthUri).toBe(
      `otpauth://totp/Mamori:${encodeURIComponent(user.userId)}?secret=${enrolment.secret}&issuer=Mamori`,
    );
    expect(enrolment.qrCode).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);

    // Not offered before it is confirmed.
    const before = await platform.passwordStep(user);
    expect(before.status).toBe('second_factor_required');
    expect((before as { methods: { type: string }[] }).methods.map((m) => m.type)).not.toContain('totp');
    const early = await verifyTotp((before as { flowId: string }).flowId, await codeAt(enrolment.secret));
    expect(early.status).toBe(422);
    expect(early.body.error.code).toBe('method_not_available');

    const wrong = await platform.api('POST', '/me/mfa/totp/confirm', {
      token: accessToken,
      body: { code: String((Number(await codeAt(enrolment.secret)) + 1) % 1_000_000).padStart(6, '0') },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_code');

    expectStatus(
      await platform.api('POST', '/me/mfa/totp/confirm', {
        token: accessToken,
        body: { code: await codeAt(enrolment.secret) },
      }),
      204,
    );
    nextStep();

    const offered = await platform.passwordStep(user);
    expect(offered.status).toBe('second_factor_required');
    expect((offered as { methods: { type: string }[] }).methods).toContainEqual({ type: 'totp' });

    const verified = await verifyTotp((offered as { flowId: string }).flowId, await codeAt(enrolment.secret));
    expectStatus(verified, 200);
    expect(verified.body.status).toBe('authenticated');
    expect(verified.body.accessToken).toEqual(expect.any(String));

    const events = await audit.events({
      actorUserId: user.id,
      type: ['auth.totp.enrolment_started', 'auth.totp.enabled', 'auth.second_factor.succeeded'],
    });
    expect(events.map((e) => e.type)).toEqual([
      'auth.second_factor.succeeded', // the e-mail code of the first login
      'auth.totp.enrolment_started',
      'auth.totp.enabled',
      'auth.second_factor.succeeded',
    ]);
    expect(events[3].reasons).toEqual(['totp']);
    // No secret or code in the audit trail.
    expect(JSON.stringify(events)).not.toContain(enrolment.secret);
  });

  it('refuses a second enrolment while one is enabled (disable first), and a confirm without enrolment', async () => {
    const { accessToken } = await enrolledUser();
    const again = await platform.api('POST', '/me/mfa/totp', { token: accessToken });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
    const confirm = await platform.api('POST', '/me/mfa/totp/confirm', {
      token: accessToken,
      body: { code: '123456' },
    });
    expect(confirm.status).toBe(409);

    const other = await newUser();
    const { accessToken: otherToken } = await platform.login(other);
    const none = await platform.api('POST', '/me/mfa/totp/confirm', {
      token: otherToken,
      body: { code: '123456' },
    });
    expect(none.status).toBe(409);
  });

  it('does not accept the code that confirmed the enrolment for a login in the same step', async () => {
    const user = await newUser();
    const { accessToken } = await platform.login(user);
    const { secret } = await enrol(accessToken);
    const code = await codeAt(secret);
    expectStatus(
      await platform.api('POST', '/me/mfa/totp/confirm', { token: accessToken, body: { code } }),
      204,
    );

    const refused = await verifyTotp(await loginFlow(user), code);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('invalid_code');
  });

  it('accepts one code once: sent twice, the second is refused as a replay', async () => {
    const { user, secret } = await enrolledUser();
    const code = await codeAt(secret);

    expectStatus(await verifyTotp(await loginFlow(user), code), 200);
    const flowId = await loginFlow(user);
    const replay = await verifyTotp(flowId, code);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('invalid_code');

    const refused = await audit.events({ targetId: flowId, type: 'auth.totp.replay_refused' });
    expect(refused).toHaveLength(1);
    expect(refused[0].actor.userId).toBe(user.id);
    // The replay counts as a wrong answer (AUTH-6).
    expect(await audit.events({ targetId: flowId, type: 'auth.second_factor.failed' })).toHaveLength(1);
  });

  it('accepts one code once when it is sent on two flows at the same moment', async () => {
    for (let round = 0; round < 3; round++) {
      const { user, secret } = await enrolledUser();
      const code = await codeAt(secret);
      const flows = [await loginFlow(user), await loginFlow(user)];
      const answers = await Promise.all(flows.map((flowId) => verifyTotp(flowId, code)));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 401]);
      expect(answers.find((a) => a.status === 401)?.body.error.code).toBe('invalid_code');
    }
  });

  it('moves the used time step forward atomically, also without the verify transaction around it', async () => {
    // SecondStepService already queues the checks of one account; this shows that the method's own
    // conditional UPDATE suffices: two checks of one code in parallel transactions, one success.
    const { user, secret } = await enrolledUser();
    const code = await codeAt(secret);
    const flowIds = [await loginFlow(user), await loginFlow(user)];
    const method = platform.auth.get(SecondStepMethods).get('totp');
    const account = await platform.auth.get(LoginAccountRepository).findById(user.id);
    const now = platform.auth.clock.now();
    const checks = await Promise.all(
      flowIds.map((flowId) =>
        platform.auth.inRequest({}, () =>
          platform.auth.dataSource.transaction(async (manager) => {
            const flow = await manager.getRepository(LoginFlow).findOneByOrFail({ id: flowId });
            return method.verify(manager, flow, account!, code, now);
          }),
        ),
      ),
    );
    expect(checks.filter((c) => c.ok)).toHaveLength(1);
    expect(checks.filter((c) => !c.ok)).toHaveLength(1);
  });

  it('accepts a code one step early or late, and refuses two steps away', async () => {
    const { user, secret } = await enrolledUser();
    // Far enough from the confirming code's step that the step before now was never used.
    nextStep();
    nextStep();
    const flowId = await loginFlow(user);

    for (const offset of [-2, 2]) {
      const refused = await verifyTotp(flowId, await codeAt(secret, offset));
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('invalid_code');
    }
    // One step late (the phone's clock behind) …
    expectStatus(await verifyTotp(flowId, await codeAt(secret, -1)), 200);
    // … and one step early (ahead), on a new flow.
    expectStatus(await verifyTotp(await loginFlow(user), await codeAt(secret, 1)), 200);
  });

  it('stores the secret encrypted', async () => {
    const { user, secret } = await enrolledUser();
    const rows: { secret_enc: string; enabled_at: Date | null; last_used_step: string }[] =
      await platform.auth.dataSource.query(
        `SELECT secret_enc, enabled_at, last_used_step FROM auth.totp_credential WHERE user_id = $1`,
        [user.id],
      );
    expect(rows).toHaveLength(1);
    expect(rows[0].enabled_at).not.toBeNull();
    expect(rows[0].secret_enc).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(rows[0].secret_enc).not.toContain(secret);
    expect(rows[0].secret_enc.toUpperCase()).not.toContain(secret.slice(0, 8));
    expect(Buffer.from(rows[0].secret_enc.split('.')[3], 'base64url').toString('latin1')).not.toContain(
      secret,
    );
  });

  it('needs step-up to enrol', async () => {
    const user = await newUser();
    const { accessToken } = await platform.login(user);
    platform.staleSecondStep();

    const refused = await platform.api('POST', '/me/mfa/totp', { token: accessToken });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('step_up_required');
    expect(await audit.events({ actorUserId: user.id, type: 'auth.totp.enrolment_started' })).toHaveLength(0);

    const fresh = await platform.stepUp(user, refused);
    await enrol(fresh.accessToken);
  });

  it('needs step-up to disable; the step-up can be done with the app itself; then it is no longer offered', async () => {
    const { user, secret, accessToken } = await enrolledUser();
    platform.staleSecondStep();

    const refused = await platform.api('DELETE', '/me/mfa/totp', { token: accessToken });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('step_up_required');
    expect(refused.body.error.details.methods).toContainEqual({ type: 'totp' });
    // Still enabled.
    const offered = await platform.passwordStep(user);
    expect((offered as { methods: { type: string }[] }).methods.map((m) => m.type)).toContain('totp');

    const stepUp = await verifyTotp(refused.body.error.details.flowId, await codeAt(secret), accessToken);
    expectStatus(stepUp, 200);
    expectStatus(await platform.api('DELETE', '/me/mfa/totp', { token: stepUp.body.accessToken }), 204);

    const after = await platform.passwordStep(user);
    expect((after as { methods: { type: string }[] }).methods.map((m) => m.type)).not.toContain('totp');
    nextStep();
    const gone = await verifyTotp((after as { flowId: string }).flowId, await codeAt(secret));
    expect(gone.status).toBe(422);
    expect(await audit.events({ actorUserId: user.id, type: 'auth.totp.disabled' })).toHaveLength(1);
    // The owner was told at the account's address of the app added and then removed (NOTIF-3).
    const notices = await platform.auth.queued('email', { userId: user.id, template: 'mfa-changed' });
    expect(notices.map((n) => n.params.change)).toEqual(['totp_added', 'totp_removed']);
    expect(notices.every((n) => n.to.includes(user.email))).toBe(true);

    // Nothing left to disable; a new enrolment is possible again.
    expect((await platform.api('DELETE', '/me/mfa/totp', { token: stepUp.body.accessToken })).status).toBe(
      404,
    );
    await enrol(stepUp.body.accessToken);
  });
});
