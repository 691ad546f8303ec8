import { call, expectStatus, randomId, strongPassword } from '@app/testing';
import { InitialPassword } from '@app/auth/login-flow/initial-password.entity';
import { PasswordHasher } from '@app/auth/password/password-hasher';
import { User } from '@app/auth/users/user.entity';
import { AuthGateway } from './auth-gateway';
import { UserFixture } from './auth-test-app';
import {
  FLAG_UP,
  loginOptions,
  PASSKEY_CONFIG,
  passkeyLogin,
  PORTAL_ORIGIN,
  RP_ID,
  registerPasskey,
  SoftAuthenticator,
} from './support/soft-authenticator';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** AUTH-10 passkey login, AUTH-5 (no second step after a passkey), AUTH-3 lockout; over HTTP. */
describe('passkey login (AUTH-10, AUTH-5), through the gateway', () => {
  let platform: AuthGateway;

  beforeAll(async () => {
    platform = await AuthGateway.create({ config: PASSKEY_CONFIG });
  });
  afterAll(async () => {
    await platform.close();
  });

  /**
   * A user whose MFA is on (so a password login would owe a code) with one passkey on `authenticator`,
   * registered in a session that then ended its part: the test logs in with the passkey alone.
   */
  async function userWithPasskey(
    authenticator = new SoftAuthenticator(PORTAL_ORIGIN),
  ): Promise<{ user: UserFixture; authenticator: SoftAuthenticator; passkeyId: string }> {
    const tenant = await platform.auth.newTenant();
    const user = await platform.auth.newUser({ tenant, mfaRequired: true });
    const tokens = await platform.login(user);
    const passkey = await registerPasskey(platform, tokens.accessToken, authenticator);
    return { user, authenticator, passkeyId: passkey.id };
  }

  async function codesQueued(user: UserFixture): Promise<number> {
    const [email, sms] = await Promise.all([
      platform.auth.queued('email', { userId: user.id, template: 'security-code' }),
      platform.auth.queued('sms', { userId: user.id, template: 'security-code' }),
    ]);
    return email.length + sms.length;
  }

  function expectPasskeyInvalid(answer: { status: number; body: any }): void {
    expect({ status: answer.status, code: answer.body?.error?.code }).toEqual({
      status: 401,
      code: 'passkey_invalid',
    });
  }

  async function failureReasons(user: UserFixture): Promise<string[][]> {
    const events = await platform.auth.auditEvents({ actorUserId: user.id, type: 'auth.login.failed' });
    return events.map((e) => e.reasons ?? []);
  }

  it('logs in with the passkey alone: tokens, no password, no code, the second step counts as done', async () => {
    const { user, authenticator, passkeyId } = await userWithPasskey();
    const codesBefore = await codesQueued(user);

    const { flowId, options, expiresAt } = await loginOptions(platform, user.userId);
    expect(flowId).toMatch(UUID);
    expect(options).toMatchObject({
      rpId: RP_ID,
      userVerification: 'required',
    });
    // Discoverable: the browser finds the user's passkey itself; the answer names none.
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(new Date(expiresAt).getTime() - platform.auth.clock.now().getTime()).toBe(5 * 60 * 1000);

    const verified = await platform.api('POST', '/auth/passkey/verify', {
      body: { flowId, credential: authenticator.get(options) },
    });
    expectStatus(verified, 200);
    expect(verified.body).toMatchObject({
      status: 'authenticated',
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      activeTenant: user.tenant,
    });
    expect(await codesQueued(user)).toBe(codesBefore);

    const token = verified.body.accessToken as string;
    const listed = await platform.api('GET', '/me/passkeys', { token });
    expectStatus(listed, 200);
    expect(listed.body[0].lastUsedAt).toBe(platform.auth.clock.now().toISOString());
    // The passkey was the second step too: a sensitive change goes through without a step-up.
    expectStatus(
      await platform.api('PATCH', `/me/passkeys/${passkeyId}`, { token, body: { name: 'Renamed' } }),
      200,
    );

    const succeeded = await platform.auth.auditEvents({ actorUserId: user.id, type: 'auth.login.succeeded' });
    expect(succeeded.at(-1)?.reasons).toEqual(['passkey']);
  });

  it('logs in without a user ID with a discoverable passkey, checking the user handle', async () => {
    const { user, authenticator } = await userWithPasskey();
    const { options } = await loginOptions(platform);
    expect(options.allowCredentials ?? []).toEqual([]);

    const wrongHandle = await passkeyLogin(platform, authenticator, {
      overrides: { userHandle: Buffer.from('someone else').toString('base64url') },
    });
    expectPasskeyInvalid(wrongHandle);

    const ok = await passkeyLogin(platform, authenticator);
    expectStatus(ok, 200);
    expect(ok.body.status).toBe('authenticated');
    expect((await failureReasons(user)).at(-1)).toEqual(['passkey', 'user_handle']);
  });

  it('refuses a wrong signature and audits why, without the credential', async () => {
    const { user, authenticator } = await userWithPasskey();
    const refused = await passkeyLogin(platform, authenticator, {
      userId: user.userId,
      overrides: { signWith: SoftAuthenticator.strangerKey() },
    });
    expectPasskeyInvalid(refused);

    const [event] = (
      await platform.auth.auditEvents({ actorUserId: user.id, type: 'auth.login.failed' })
    ).slice(-1);
    expect(event).toMatchObject({ outcome: 'failure', reasons: ['passkey', 'signature'] });
    expect(JSON.stringify(event)).not.toContain(authenticator.id);
  });

  it('refuses an answer collected on another origin, for another RP, or without user verification', async () => {
    const { user, authenticator } = await userWithPasskey();
    const cases = [
      { overrides: { origin: 'https://portal.mamori.test.evil.example' }, reason: 'origin' },
      { overrides: { rpId: 'evil.example' }, reason: 'rp_id' },
      { overrides: { flags: FLAG_UP }, reason: 'user_verification' },
      { overrides: { type: 'webauthn.create' }, reason: 'type' },
    ];
    for (const { overrides } of cases) {
      expectPasskeyInvalid(await passkeyLogin(platform, authenticator, { userId: user.userId, overrides }));
    }
    expect((await failureReasons(user)).slice(-cases.length)).toEqual(
      cases.map((c) => ['passkey', c.reason]),
    );
    // None of them used the passkey up: the right answer still logs in.
    expectStatus(await passkeyLogin(platform, authenticator, { userId: user.userId }), 200);
  });

  it('accepts an answer once: a replay fails, a replay into another flow fails, two racing answers give one login', async () => {
    // An authenticator that keeps no counter: only the single-use challenge stands against replays.
    const { user, authenticator } = await userWithPasskey(
      new SoftAuthenticator(PORTAL_ORIGIN, { counterStep: 0 }),
    );
    const first = await loginOptions(platform, user.userId);
    const credential = authenticator.get(first.options);
    expectStatus(
      await platform.api('POST', '/auth/passkey/verify', { body: { flowId: first.flowId, credential } }),
      200,
    );
    expectPasskeyInvalid(
      await platform.api('POST', '/auth/passkey/verify', { body: { flowId: first.flowId, credential } }),
    );

    const second = await loginOptions(platform, user.userId);
    expectPasskeyInvalid(
      await platform.api('POST', '/auth/passkey/verify', { body: { flowId: second.flowId, credential } }),
    );

    const third = await loginOptions(platform, user.userId);
    const racing = authenticator.get(third.options);
    const answers = await Promise.all(
      [1, 2, 3].map(() =>
        platform.api('POST', '/auth/passkey/verify', { body: { flowId: third.flowId, credential: racing } }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401]);
  });

  it('refuses an answer after the challenge expired (5 minutes)', async () => {
    const { user, authenticator } = await userWithPasskey();
    const { flowId, options } = await loginOptions(platform, user.userId);
    platform.auth.clock.advance(5 * 60 * 1000 + 1000);
    expectPasskeyInvalid(
      await platform.api('POST', '/auth/passkey/verify', {
        body: { flowId, credential: authenticator.get(options) },
      }),
    );
    expect((await failureReasons(user)).at(-1)).toEqual(['passkey', 'challenge']);
  });

  it('refuses a signature counter that does not go up (a cloned authenticator)', async () => {
    const { user, authenticator } = await userWithPasskey();
    expectStatus(await passkeyLogin(platform, authenticator, { overrides: { counter: 5 } }), 200);
    expectPasskeyInvalid(await passkeyLogin(platform, authenticator, { overrides: { counter: 5 } }));
    expectPasskeyInvalid(await passkeyLogin(platform, authenticator, { overrides: { counter: 3 } }));
    expectPasskeyInvalid(await passkeyLogin(platform, authenticator, { overrides: { counter: 0 } }));
    expect((await failureReasons(user)).slice(-3)).toEqual([
      ['passkey', 'counter'],
      ['passkey', 'counter'],
      ['passkey', 'counter'],
    ]);
    expectStatus(await passkeyLogin(platform, authenticator, { overrides: { counter: 6 } }), 200);

    // Two clones answering two flows with the same counter at once: only one gets in.
    const flows = await Promise.all([loginOptions(platform), loginOptions(platform)]);
    const answers = await Promise.all(
      flows.map((f) =>
        platform.api('POST', '/auth/passkey/verify', {
          body: { flowId: f.flowId, credential: authenticator.get(f.options, { counter: 9 }) },
        }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401]);
  });

  it('lets an authenticator that keeps no counter (always 0) log in again and again', async () => {
    const { authenticator } = await userWithPasskey(new SoftAuthenticator(PORTAL_ORIGIN, { counterStep: 0 }));
    for (let i = 0; i < 3; i++) {
      expectStatus(await passkeyLogin(platform, authenticator), 200);
    }
  });

  it('refuses a locked account with 423; failed passkey answers do not lock it', async () => {
    const locked = await userWithPasskey();
    for (let i = 0; i < 5; i++) {
      const wrong = await platform.api('POST', '/auth/login', {
        body: { userId: locked.user.userId, password: `Wrong-password-${i}!` },
      });
      expect(wrong.status).toBe(401);
    }
    const answer = await passkeyLogin(platform, locked.authenticator, { userId: locked.user.userId });
    expect(answer.status).toBe(423);
    expect(answer.body.error.code).toBe('account_locked');
    expect(answer.body.error.details.retryAfter).toBeGreaterThan(0);
    expect(
      await platform.auth.auditEvents({ actorUserId: locked.user.id, type: 'auth.login.refused_locked' }),
    ).toHaveLength(1);

    // Anyone may ask for a user's credential ids; bad answers with them must not lock the account.
    const target = await userWithPasskey();
    for (let i = 0; i < 6; i++) {
      expectPasskeyInvalid(
        await passkeyLogin(platform, target.authenticator, {
          userId: target.user.userId,
          overrides: { signWith: SoftAuthenticator.strangerKey() },
        }),
      );
    }
    expect((await platform.login(target.user)).status).toBe('authenticated');
  });

  it('refuses a user whose login is disabled with 403 login_disabled', async () => {
    const { user, authenticator } = await userWithPasskey();
    await platform.auth.dataSource.getRepository(User).update({ id: user.id }, { loginDisabled: true });
    const answer = await passkeyLogin(platform, authenticator, { userId: user.userId });
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe('login_disabled');
    expect(
      await platform.auth.auditEvents({ actorUserId: user.id, type: 'auth.login.refused_disabled' }),
    ).toHaveLength(1);
  });

  it('answers options in the same shape whatever passkeys the ID has: one, several of other kinds, none, unknown', async () => {
    const known = await userWithPasskey();
    const several = await userWithPasskey();
    await platform.auth.dataSource.query(
      `INSERT INTO auth.passkey (id, user_id, credential_id, public_key, counter, transports, name, created_at)
       SELECT gen_random_uuid(), user_id, credential_id || 'x', public_key, 0, ARRAY['usb','nfc'], 'Key', created_at
         FROM auth.passkey WHERE user_id = $1`,
      [several.user.id],
    );
    const withoutPasskey = await platform.auth.newUser({ tenant: await platform.auth.newTenant() });
    const unknownId = `nobody-${randomId(10)}@example.test.fm`;

    const answers = [
      await loginOptions(platform, known.user.userId),
      await loginOptions(platform, several.user.userId),
      await loginOptions(platform, withoutPasskey.userId),
      await loginOptions(platform, unknownId),
      await loginOptions(platform),
    ];
    /** Everything but the random challenge and flow id, which differ on every call anyway. */
    const shape = (a: Awaited<ReturnType<typeof loginOptions>>) => ({
      keys: Object.keys(a).sort(),
      flowId: UUID.test(a.flowId),
      options: { ...a.options, challenge: BASE64URL.test(a.options.challenge as string) },
      expiresIn: new Date(a.expiresAt).getTime() - platform.auth.clock.now().getTime(),
    });
    for (const answer of answers.slice(1)) {
      expect(shape(answer)).toEqual(shape(answers[0]));
    }
    expect(answers[0].options.allowCredentials ?? []).toEqual([]);
    const again = await loginOptions(platform, unknownId);
    expect(again.options.challenge).not.toBe(answers[3].options.challenge);

    // A flow for an ID is answered only by that user's passkey: not for an unknown ID, not for another.
    for (const flow of [again, await loginOptions(platform, withoutPasskey.userId)]) {
      expectPasskeyInvalid(
        await platform.api('POST', '/auth/passkey/verify', {
          body: { flowId: flow.flowId, credential: known.authenticator.get(flow.options) },
        }),
      );
    }
    expect((await failureReasons(known.user)).slice(-2)).toEqual([
      ['passkey', 'other_user'],
      ['passkey', 'other_user'],
    ]);
  });

  it('still asks an admin for the initial authentication password after a passkey (AUTH-14)', async () => {
    const { user, authenticator } = await userWithPasskey();
    const initial = strongPassword();
    await platform.auth.dataSource.getRepository(InitialPassword).insert({
      userId: user.id,
      passwordHash: await platform.auth.get(PasswordHasher).hash(initial),
      createdBy: null,
      createdAt: platform.auth.clock.now(),
      usedAt: null,
    });
    const answer = await passkeyLogin(platform, authenticator, { userId: user.userId });
    expectStatus(answer, 200);
    expect(answer.body).toEqual({ status: 'initial_password_required', flowId: expect.stringMatching(UUID) });
    const done = await platform.api('POST', `/auth/login/${answer.body.flowId}/initial-password`, {
      body: { initialPassword: initial },
    });
    expectStatus(done, 200);
    expect(done.body.status).toBe('authenticated');
  });

  it('answers a malformed request with 400 or 401, never 500', async () => {
    const { user, authenticator } = await userWithPasskey();
    const cases: [
      number,
      (flowId: string, options: Awaited<ReturnType<typeof loginOptions>>['options']) => unknown,
    ][] = [
      [400, () => ({ flowId: 'not-a-flow', credential: authenticator.get({ challenge: 'x' }) })],
      [400, (flowId) => ({ flowId })],
      [400, (flowId) => ({ flowId, credential: [] })],
      [400, (flowId, o) => ({ flowId, credential: { ...authenticator.get(o), response: null } })],
      [400, (flowId, o) => ({ flowId, credential: { ...authenticator.get(o), type: 'password' } })],
      [400, (flowId, o) => ({ flowId, credential: { ...authenticator.get(o), id: 'x'.repeat(2000) } })],
      [
        401,
        (flowId, o) => {
          const c = authenticator.get(o);
          return { flowId, credential: { ...c, response: { ...c.response, authenticatorData: '!!!' } } };
        },
      ],
      [
        401,
        (flowId, o) => {
          const c = authenticator.get(o);
          return { flowId, credential: { ...c, response: { ...c.response, signature: 'AAAA' } } };
        },
      ],
      [
        401,
        (flowId, o) => {
          const c = authenticator.get(o);
          return { flowId, credential: { ...c, response: { ...c.response, authenticatorData: 'AAAA' } } };
        },
      ],
      [
        401,
        (flowId, o) => {
          const c = authenticator.get(o);
          return { flowId, credential: { ...c, response: { clientDataJSON: c.response.clientDataJSON } } };
        },
      ],
      [
        401,
        (flowId, o) => {
          const c = authenticator.get(o);
          return { flowId, credential: { ...c, response: { ...c.response, userHandle: 7 } } };
        },
      ],
      [
        401,
        (flowId, o) => ({
          flowId,
          credential: { ...authenticator.get(o), id: 'dW5rbm93bg', rawId: 'dW5rbm93bg' },
        }),
      ],
      [
        401,
        () => ({
          flowId: '00000000-0000-4000-8000-000000000000',
          credential: authenticator.get({ challenge: 'x' }),
        }),
      ],
    ];
    for (const [status, make] of cases) {
      const { flowId, options } = await loginOptions(platform, user.userId);
      const body = make(flowId, options);
      const answer = await platform.api('POST', '/auth/passkey/verify', { body });
      expect({ body, status: answer.status }).toEqual({ body, status });
      expect(answer.body.error.code).toBe(status === 400 ? 'validation_failed' : 'passkey_invalid');
    }
    // And the real passkey still works.
    expectStatus(await passkeyLogin(platform, authenticator, { userId: user.userId }), 200);
  });

  it('documents the passkey routes, with the credential’s outer shape, in the OpenAPI document', async () => {
    const doc = await call(platform.url, 'GET', '/api/docs-json');
    expectStatus(doc, 200);
    const paths = doc.body.paths;
    expect(Object.keys(paths['/api/v1/auth/passkey/options'])).toEqual(expect.arrayContaining(['post']));
    expect(paths['/api/v1/auth/passkey/verify'].post.responses['401'].description).toContain(
      'passkey_invalid',
    );
    expect(paths['/api/v1/me/passkeys'].post.responses['403'].description).toContain('step_up_required');
    expect(Object.keys(paths['/api/v1/me/passkeys/{id}'])).toEqual(
      expect.arrayContaining(['patch', 'delete']),
    );
    expect(paths['/api/v1/me/passkeys'].get).toBeDefined();
    expect(paths['/api/v1/me/passkeys/options'].post).toBeDefined();
    expect(doc.body.components.schemas.PasskeyCredentialDto.required).toEqual(
      expect.arrayContaining(['id', 'rawId', 'type', 'response']),
    );
  });
});
