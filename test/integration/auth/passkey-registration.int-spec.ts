import { expectStatus } from '@app/testing';
import { Passkey } from '@app/auth/passkeys/passkey.entity';
import { AuthGateway } from './auth-gateway';
import { UserFixture } from './auth-test-app';
import {
  ADMIN_ORIGIN,
  FLAG_AT,
  FLAG_UP,
  PASSKEY_CONFIG,
  PORTAL_ORIGIN,
  RP_ID,
  registerPasskey,
  registrationOptions,
  SoftAuthenticator,
} from './support/soft-authenticator';

/** AUTH-10 registration and management, AUTH-12 step-up for every change; driven over HTTP. */
describe('passkey registration and management (AUTH-10, AUTH-12), through the gateway', () => {
  let platform: AuthGateway;

  beforeAll(async () => {
    platform = await AuthGateway.create({ config: PASSKEY_CONFIG });
  });
  afterAll(async () => {
    await platform.close();
  });

  /** A user who has just logged in with a code: a fresh second step, so changes need no step-up. */
  async function signedIn(): Promise<{ user: UserFixture; token: string }> {
    const tenant = await platform.auth.newTenant();
    const user = await platform.auth.newUser({ tenant, mfaRequired: true });
    const tokens = await platform.login(user);
    return { user, token: tokens.accessToken };
  }

  async function storedPasskeys(userId: string): Promise<Passkey[]> {
    return platform.auth.dataSource.getRepository(Passkey).find({ where: { userId } });
  }

  it('registers a named passkey whose public key is kept, and excludes it from the next options', async () => {
    const { user, token } = await signedIn();
    const authenticator = new SoftAuthenticator(PORTAL_ORIGIN);

    const options = await registrationOptions(platform, token);
    expect(options.rp).toEqual({ id: RP_ID, name: PASSKEY_CONFIG.WEBAUTHN_RP_NAME });
    // The user handle is the internal uuid's bytes, never the login ID or e-mail.
    expect(Buffer.from(options.user.id, 'base64url').toString('hex')).toBe(user.id.replace(/-/g, ''));
    expect(options.user.name).toBe(user.userId);
    expect(options).toMatchObject({
      attestation: 'none',
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
      excludeCredentials: [],
    });

    const created = await platform.api('POST', '/me/passkeys', {
      token,
      body: { name: '  MacBook Touch ID  ', credential: authenticator.create(options) },
    });
    expectStatus(created, 201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'MacBook Touch ID',
      createdAt: platform.auth.clock.now().toISOString(),
      lastUsedAt: null,
    });

    const [stored] = await storedPasskeys(user.id);
    expect(stored).toMatchObject({
      id: created.body.id,
      credentialId: authenticator.id,
      counter: 0,
      transports: ['internal', 'hybrid'],
    });
    expect(stored.publicKey.length).toBeGreaterThan(64);

    const next = await registrationOptions(platform, token);
    expect(next.excludeCredentials).toEqual([
      { id: authenticator.id, type: 'public-key', transports: ['internal', 'hybrid'] },
    ]);

    const events = await platform.auth.auditEvents({
      targetId: created.body.id,
      type: 'auth.passkey.registered',
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: { userId: user.id }, outcome: 'success' });
    // A credential of the account: every tenant of it is told, none by the tenant it was added in.
    expect(events[0].actor.tenant).toBeUndefined();
    expect(events[0].tenants).toEqual([user.tenant]);
    // Ids only: neither the credential id nor the name the user gave.
    expect(JSON.stringify(events[0])).not.toContain(authenticator.id);
    expect(JSON.stringify(events[0])).not.toContain('MacBook');
  });

  it('accepts every configured origin of the relying party', async () => {
    const { user, token } = await signedIn();
    await registerPasskey(platform, token, new SoftAuthenticator(ADMIN_ORIGIN), 'On the admin site');
    expect(await storedPasskeys(user.id)).toHaveLength(1);
  });

  it('refuses a blank or too long name as malformed', async () => {
    const { user, token } = await signedIn();
    const authenticator = new SoftAuthenticator(PORTAL_ORIGIN);
    for (const name of ['   ', 'x'.repeat(101), undefined]) {
      const credential = authenticator.create(await registrationOptions(platform, token));
      const answer = await platform.api('POST', '/me/passkeys', { token, body: { name, credential } });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('validation_failed');
      expect(answer.body.error.details.fields.name).toBeDefined();
    }
    const longest = 'x'.repeat(100);
    const credential = authenticator.create(await registrationOptions(platform, token));
    const ok = await platform.api('POST', '/me/passkeys', { token, body: { name: longest, credential } });
    expectStatus(ok, 201);
    expect((await storedPasskeys(user.id)).map((p) => p.name)).toEqual([longest]);
  });

  it('verifies the answer for real: origin, RP, ceremony type, user verification and challenge', async () => {
    const { user, token } = await signedIn();
    const other = await signedIn();
    const forged: [string, (a: SoftAuthenticator) => Promise<unknown>][] = [
      [
        'another site',
        async (a) => a.create(await registrationOptions(platform, token), { origin: 'https://evil.test' }),
      ],
      [
        'another RP id',
        async (a) => a.create(await registrationOptions(platform, token), { rpId: 'evil.test' }),
      ],
      [
        'a login ceremony',
        async (a) => a.create(await registrationOptions(platform, token), { type: 'webauthn.get' }),
      ],
      // Presence without verification: a passkey must prove the user, not just a touch.
      [
        'no user verification',
        async (a) => a.create(await registrationOptions(platform, token), { flags: FLAG_UP | FLAG_AT }),
      ],
      [
        'a made-up challenge',
        async (a) => a.create(await registrationOptions(platform, token), { challenge: 'bm90LW91cnM' }),
      ],
      // A challenge issued to another user cannot register a passkey for this one.
      ['another user’s challenge', async (a) => a.create(await registrationOptions(platform, other.token))],
    ];
    for (const [what, answer] of forged) {
      const credential = await answer(new SoftAuthenticator(PORTAL_ORIGIN));
      const refused = await platform.api('POST', '/me/passkeys', { token, body: { name: what, credential } });
      expect({ what, status: refused.status, code: refused.body.error?.code }).toEqual({
        what,
        status: 401,
        code: 'passkey_invalid',
      });
    }
    expect(await storedPasskeys(user.id)).toHaveLength(0);
  });

  it('accepts an answer once: a replay fails, and of two concurrent answers one registers', async () => {
    const { user, token } = await signedIn();
    const authenticator = new SoftAuthenticator(PORTAL_ORIGIN);
    const credential = authenticator.create(await registrationOptions(platform, token));
    const answers = await Promise.all(
      [1, 2].map(() => platform.api('POST', '/me/passkeys', { token, body: { name: 'Key', credential } })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 401]);

    const replay = await platform.api('POST', '/me/passkeys', { token, body: { name: 'Key', credential } });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('passkey_invalid');
    expect(await storedPasskeys(user.id)).toHaveLength(1);
  });

  it('refuses an answer after its challenge expired (5 minutes)', async () => {
    const { user, token } = await signedIn();
    const credential = new SoftAuthenticator(PORTAL_ORIGIN).create(
      await registrationOptions(platform, token),
    );
    platform.auth.clock.advance(5 * 60 * 1000 + 1000);
    const late = await platform.api('POST', '/me/passkeys', { token, body: { name: 'Late', credential } });
    expect(late.status).toBe(401);
    expect(late.body.error.code).toBe('passkey_invalid');
    expect(await storedPasskeys(user.id)).toHaveLength(0);
  });

  it('answers 409 conflict for a credential registered already', async () => {
    const { user, token } = await signedIn();
    const authenticator = new SoftAuthenticator(PORTAL_ORIGIN);
    await registerPasskey(platform, token, authenticator, 'First');
    // The browser would exclude it; a client that ignores the exclusion is still refused.
    const again = authenticator.create(await registrationOptions(platform, token));
    const answer = await platform.api('POST', '/me/passkeys', {
      token,
      body: { name: 'Again', credential: again },
    });
    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe('conflict');
    expect(await storedPasskeys(user.id)).toHaveLength(1);
  });

  it('needs a fresh second step to register, rename or delete, and goes on after the step-up', async () => {
    const { user, token } = await signedIn();
    const existing = await registerPasskey(platform, token, new SoftAuthenticator(PORTAL_ORIGIN), 'Existing');

    platform.staleSecondStep();
    const refusals = [
      await platform.api('POST', '/me/passkeys/options', { token }),
      await platform.api('PATCH', `/me/passkeys/${existing.id}`, { token, body: { name: 'Renamed' } }),
      await platform.api('DELETE', `/me/passkeys/${existing.id}`, { token }),
    ];
    for (const refused of refusals) {
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('step_up_required');
      expect(refused.body.error.details.flowId).toEqual(expect.any(String));
    }
    // Listing changes nothing and needs no step-up.
    expectStatus(await platform.api('GET', '/me/passkeys', { token }), 200);

    const fresh = (await platform.stepUp(user, refusals[0])).accessToken;
    await registerPasskey(platform, fresh, new SoftAuthenticator(PORTAL_ORIGIN), 'After step-up');
    expectStatus(
      await platform.api('PATCH', `/me/passkeys/${existing.id}`, { token: fresh, body: { name: 'Renamed' } }),
      200,
    );

    platform.staleSecondStep();
    const deleteRefused = await platform.api('DELETE', `/me/passkeys/${existing.id}`, { token: fresh });
    expect(deleteRefused.body.error.code).toBe('step_up_required');
    const fresher = (await platform.stepUp(user, deleteRefused)).accessToken;
    expectStatus(await platform.api('DELETE', `/me/passkeys/${existing.id}`, { token: fresher }), 204);

    expect((await storedPasskeys(user.id)).map((p) => p.name)).toEqual(['After step-up']);
  });

  it('refuses the answer itself when the second step went stale after the options', async () => {
    const { user, token } = await signedIn();
    // Options at 9 minutes (fresh), the answer at 10.5 (stale) while the challenge is still good.
    platform.auth.clock.advance(9 * 60 * 1000);
    const credential = new SoftAuthenticator(PORTAL_ORIGIN).create(
      await registrationOptions(platform, token),
    );
    platform.auth.clock.advance(90 * 1000);
    const refused = await platform.api('POST', '/me/passkeys', { token, body: { name: 'Key', credential } });
    expect(refused.body.error.code).toBe('step_up_required');
    expect(await storedPasskeys(user.id)).toHaveLength(0);

    const fresh = (await platform.stepUp(user, refused)).accessToken;
    expectStatus(
      await platform.api('POST', '/me/passkeys', { token: fresh, body: { name: 'Key', credential } }),
      201,
    );
  });

  it('lists, renames and deletes the caller’s own passkeys; another user’s id is 404', async () => {
    const owner = await signedIn();
    const stranger = await signedIn();
    const first = await registerPasskey(platform, owner.token, new SoftAuthenticator(PORTAL_ORIGIN), 'Phone');
    platform.auth.clock.advance(1000);
    const second = await registerPasskey(
      platform,
      owner.token,
      new SoftAuthenticator(PORTAL_ORIGIN),
      'Laptop',
    );

    const listed = await platform.api('GET', '/me/passkeys', { token: owner.token });
    expectStatus(listed, 200);
    expect(listed.body).toEqual([first, second]);
    expect(Object.keys(listed.body[0]).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name']);
    expect((await platform.api('GET', '/me/passkeys', { token: stranger.token })).body).toEqual([]);

    for (const [method, body] of [
      ['PATCH', { name: 'Mine now' }],
      ['DELETE', undefined],
    ] as const) {
      const answer = await platform.api(method, `/me/passkeys/${first.id}`, { token: stranger.token, body });
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe('not_found');
    }
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await platform.api('DELETE', `/me/passkeys/${unknown}`, { token: owner.token })).status).toBe(
      404,
    );
    expect((await platform.api('DELETE', '/me/passkeys/not-an-id', { token: owner.token })).status).toBe(400);

    const renamed = await platform.api('PATCH', `/me/passkeys/${first.id}`, {
      token: owner.token,
      body: { name: ' Work phone ' },
    });
    expectStatus(renamed, 200);
    expect(renamed.body).toEqual({ ...first, name: 'Work phone' });
    const blank = await platform.api('PATCH', `/me/passkeys/${first.id}`, {
      token: owner.token,
      body: { name: ' ' },
    });
    expect(blank.status).toBe(400);

    expectStatus(await platform.api('DELETE', `/me/passkeys/${second.id}`, { token: owner.token }), 204);
    expect((await platform.api('GET', '/me/passkeys', { token: owner.token })).body).toEqual([
      { ...first, name: 'Work phone' },
    ]);

    const renamedEvents = await platform.auth.auditEvents({
      targetId: first.id,
      type: 'auth.passkey.renamed',
    });
    expect(renamedEvents).toHaveLength(1);
    expect(renamedEvents[0].actor.userId).toBe(owner.user.id);
    expect(JSON.stringify(renamedEvents[0])).not.toContain('Work phone');
    const deletedEvents = await platform.auth.auditEvents({
      targetId: second.id,
      type: 'auth.passkey.deleted',
    });
    expect(deletedEvents).toHaveLength(1);
    // The owner was told at the account's address of each passkey added and removed (NOTIF-3).
    const notices = await platform.auth.queued('email', { userId: owner.user.id, template: 'mfa-changed' });
    expect(notices.map((n) => n.params.change)).toEqual([
      'passkey_added',
      'passkey_added',
      'passkey_removed',
    ]);
    expect(
      await platform.auth.queued('email', { userId: stranger.user.id, template: 'mfa-changed' }),
    ).toEqual([]);
    // The stranger's attempts changed nothing and wrote nothing about the owner's passkeys.
    expect(
      await platform.auth.auditEvents({
        actorUserId: stranger.user.id,
        type: ['auth.passkey.renamed', 'auth.passkey.deleted'],
      }),
    ).toEqual([]);
  });

  it('answers a malformed credential with 400 or 401, never 500', async () => {
    const { user, token } = await signedIn();
    const good = () => new SoftAuthenticator(PORTAL_ORIGIN);
    const bodies: [number, (options: Awaited<ReturnType<typeof registrationOptions>>) => unknown][] = [
      [400, () => undefined],
      [400, () => 'not an object'],
      [400, () => []],
      [400, () => ({})],
      [400, (o) => ({ ...good().create(o), response: 'nope' })],
      [400, (o) => ({ ...good().create(o), id: 'not base64url!' })],
      [400, (o) => ({ ...good().create(o), response: { clientDataJSON: 'x'.repeat(40_000) } })],
      [
        401,
        (o) => ({
          ...good().create(o),
          response: { clientDataJSON: 'bm90IGpzb24', attestationObject: 'AAAA' },
        }),
      ],
      [
        401,
        (o) => {
          const c = good().create(o);
          return {
            ...c,
            response: { ...c.response, attestationObject: Buffer.from('garbage').toString('base64url') },
          };
        },
      ],
      [
        401,
        (o) => {
          const c = good().create(o);
          return { ...c, response: { ...c.response, attestationObject: 42 } };
        },
      ],
      [401, (o) => ({ ...good().create(o), rawId: 'c29tZXRoaW5nLWVsc2U' })],
    ];
    for (const [status, make] of bodies) {
      const credential = make(await registrationOptions(platform, token));
      const answer = await platform.api('POST', '/me/passkeys', {
        token,
        body: credential === undefined ? { name: 'Bad' } : { name: 'Bad', credential },
      });
      expect({ credential, status: answer.status }).toEqual({ credential, status });
      expect(answer.body.error.code).toBe(status === 400 ? 'validation_failed' : 'passkey_invalid');
    }
    expect(await storedPasskeys(user.id)).toHaveLength(0);
  });
});
