import { randomUUID } from 'node:crypto';
import { connect, JSONCodec, NatsConnection, NatsError, Subscription } from 'nats';
import { Pool } from 'pg';
import { parseSigningKeys } from '@app/config';
import { AUDIT_STREAM, ErrorCode, Principal, RpcEnvelope, RpcSubject } from '@app/contracts';
import { natsConnectionOptions } from '@app/messaging';
import {
  ApiClient,
  natsSettingsAs,
  NatsUser,
  newSigningKeyJwk,
  randomSuffix,
  runSigningKeys,
  signAccessToken,
  signingKeysEnv,
  SmtpSink,
  startPlatform,
  strongPassword,
  testEnv,
  unsignedAccessToken,
  waitFor,
} from '@app/testing';
import { createOperator, loginWithEmailCode } from './support/story-helpers';

const codec = JSONCodec<any>();

/** What a Nest service answers over NATS: the response, or the error payload. */
interface Reply {
  response?: any;
  err?: { code: ErrorCode };
}

/**
 * A request as the gateway's RpcClient sends it (Nest's NATS packet around an envelope), made by hand
 * so a test can put into the envelope whatever an attacker would.
 */
async function rpc(nc: NatsConnection, subject: RpcSubject, envelope: RpcEnvelope<unknown>): Promise<Reply> {
  const msg = await nc.request(
    subject,
    codec.encode({ pattern: subject, data: envelope, id: randomUUID() }),
    {
      timeout: 10_000,
    },
  );
  const packet = codec.decode(msg.data) as Reply;
  return { response: packet.response, err: packet.err };
}

/** The error a refused request ends in: NATS's permissions violation, or the service's error code. */
async function refusal(call: Promise<unknown>): Promise<string> {
  try {
    const reply = (await call) as Reply | undefined;
    return reply?.err?.code ?? 'answered';
  } catch (error) {
    return (error as NatsError).code ?? String(error);
  }
}

/**
 * The NATS trust boundary, against the test run's NATS (Mamori's users and permissions) and the built
 * services as production runs them, each as its own NATS user. Auth signs with a new key while the
 * run's key is still published: a key rotation in progress.
 */
describe('the NATS boundary', () => {
  const smtp = new SmtpSink();
  const [oldKey] = runSigningKeys();
  const newKeyJwk = newSigningKeyJwk(`new-${randomSuffix()}`);
  const [newKey, stranger] = parseSigningKeys(signingKeysEnv(newKeyJwk, newSigningKeyJwk('stranger')));
  const connections: NatsConnection[] = [];
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let api: ApiClient;
  let db: Pool;

  const suffix = randomSuffix();
  const operator = {
    userId: `ops-${suffix}`,
    email: `ops-${suffix}@provider.example`,
    password: strongPassword(),
  };
  let operatorToken: string;
  let operatorPrincipal: Principal;

  const as = async (user: NatsUser): Promise<NatsConnection> => {
    const nc = await connect(natsConnectionOptions(natsSettingsAs(user)));
    connections.push(nc);
    return nc;
  };

  beforeAll(async () => {
    const mail = await smtp.start();
    platform = await startPlatform({
      env: { SMTP_URL: mail.url },
      // Rotation, step 2: the new key signs, the run's key is still published.
      serviceEnv: {
        auth: {
          ACCESS_TOKEN_SIGNING_KEYS: signingKeysEnv(
            newKeyJwk,
            JSON.parse(testEnv().ACCESS_TOKEN_SIGNING_KEYS)[0],
          ),
        },
      },
    });
    api = new ApiClient(platform.baseUrl);
    db = new Pool({ connectionString: testEnv().DATABASE_URL, max: 1 });
    await createOperator(operator.userId, operator.email, operator.password);
    const tokens = await loginWithEmailCode(api, smtp, operator.userId, operator.email, operator.password);
    operatorToken = tokens.accessToken;
    const me = await api.withToken(operatorToken).get('/me');
    expect(me.status).toBe(200);
    const claims = JSON.parse(Buffer.from(operatorToken.split('.')[1], 'base64url').toString('utf8'));
    operatorPrincipal = {
      id: claims.sub,
      sessionId: claims.sid,
      tenant: null,
      role: 'operator',
      secondFactorAt: null,
    };
  });

  afterAll(async () => {
    await Promise.all(connections.map((nc) => nc.close()));
    await platform?.stop();
    await smtp.stop();
    await db?.end();
  });

  describe('NATS credentials and permissions', () => {
    it('refuses a client without credentials, or with a wrong password, at connect', async () => {
      const url = testEnv().NATS_URL;
      expect(await refusal(connect({ servers: url, reconnect: false }))).toBe('AUTHORIZATION_VIOLATION');
      expect(
        await refusal(connect({ servers: url, user: 'gateway', pass: 'not-the-password', reconnect: false })),
      ).toBe('AUTHORIZATION_VIOLATION');
    });

    it('lets no one but the CLI create an operator', async () => {
      const userId = `intruder-${randomSuffix()}`;
      for (const user of ['gateway', 'auth', 'notification', 'case-management', 'audit'] as const) {
        const nc = await as(user);
        const attempt = rpc(nc, 'auth.operator.create', {
          ctx: { requestId: randomUUID() },
          data: { userId, email: `${userId}@attacker.example`, password: strongPassword() },
        });
        expect([user, await refusal(attempt)]).toEqual([user, 'PERMISSIONS_VIOLATION']);
      }
      const { rowCount } = await db.query('SELECT 1 FROM auth.app_user WHERE user_id = $1', [userId]);
      expect(rowCount).toBe(0);
    });

    it("drops a forged principal: a logout of another user's session is refused and the session lives on", async () => {
      const gateway = await as('gateway');
      const forged = rpc(gateway, 'auth.logout', {
        ctx: { requestId: randomUUID(), principal: operatorPrincipal },
        data: { all: true },
      });
      expect(await refusal(forged)).toBe(ErrorCode.Unauthorized);
      // A token signed by a key auth does not publish does not make the principal stick either.
      const withForeignToken = rpc(gateway, 'auth.logout', {
        ctx: {
          requestId: randomUUID(),
          principal: operatorPrincipal,
          accessToken: signAccessToken(
            { sub: operatorPrincipal.id, sid: operatorPrincipal.sessionId, role: 'operator', tenant: null },
            { key: stranger },
          ),
        },
        data: { all: true },
      });
      expect(await refusal(withForeignToken)).toBe(ErrorCode.Unauthorized);
      // Another service may not even send it.
      const notification = await as('notification');
      expect(
        await refusal(
          rpc(notification, 'auth.logout', {
            ctx: { requestId: randomUUID(), principal: operatorPrincipal },
            data: {},
          }),
        ),
      ).toBe('PERMISSIONS_VIOLATION');
      expect((await api.withToken(operatorToken).get('/me')).status).toBe(200);
    });

    it('lets no one but the service itself put facts into the audit stream', async () => {
      const harness = await as('test-harness');
      const jsm = await harness.jetstreamManager();
      for (const user of ['gateway', 'notification', 'case-management', 'audit', 'cli'] as const) {
        const subject = `audit.auth.forged-${randomSuffix()}`;
        const nc = await as(user);
        const fact = {
          id: randomUUID(),
          type: 'auth.operator.created',
          occurredAt: new Date().toISOString(),
        };
        expect([user, await refusal(nc.jetstream().publish(subject, codec.encode(fact)))]).toEqual([
          user,
          'PERMISSIONS_VIOLATION',
        ]);
        await expect(jsm.streams.getMessage(AUDIT_STREAM, { last_by_subj: subject })).rejects.toThrow();
      }
    });

    it('keeps each service to its own subjects and queue group, and its own reply inbox', async () => {
      const notification = await as('notification');
      const refused: string[] = [];
      const attempt = (subject: string, queue?: string): Subscription =>
        notification.subscribe(subject, {
          queue,
          callback: (error) => {
            if (error) {
              refused.push(error.message);
            }
          },
        });
      attempt('auth.>', 'auth'); // another service's subjects, even in its queue group
      attempt('notification.>'); // its own subjects outside its queue group
      attempt('_INBOX.gateway.>'); // the gateway's replies (tokens, personal data)
      const allowed = attempt('notification.health', 'notification'); // its own, as it serves them
      await notification.flush();
      // Out of the queue group again at once, or it would take a share of the service's requests.
      allowed.unsubscribe();
      await waitFor(() => refused.length >= 3, { timeoutMs: 5_000, description: 'three refusals' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(refused.sort()).toEqual([
        expect.stringContaining('"_INBOX.gateway.>"'),
        expect.stringContaining('"auth.>"'),
        expect.stringContaining('"notification.>"'),
      ]);
    });
  });

  describe('access tokens', () => {
    const claims = { role: 'admin' as const, tenant: 'N202400003' };
    const wrongTokens: [string, () => string][] = [
      ['signed by a key auth does not publish', () => signAccessToken(claims, { key: stranger })],
      [
        'signed by another key under a published kid',
        () => signAccessToken(claims, { key: stranger, kid: newKey.kid }),
      ],
      ['of another audience', () => signAccessToken(claims, { key: newKey, audience: 'another-service' })],
      ['of another issuer', () => signAccessToken(claims, { key: newKey, issuer: 'https://idp.example' })],
      ['expired', () => signAccessToken(claims, { key: newKey, expiresIn: -5 })],
      ['unsigned (alg none)', () => unsignedAccessToken(claims, newKey.kid)],
    ];
    /** A subject of each service, sent with the token as the gateway sends it. */
    const perService: [string, RpcSubject, unknown][] = [
      ['auth', 'auth.me.get', {}],
      ['notification', 'notification.health', {}],
      ['case-management', 'case-management.health', {}],
      ['audit', 'audit-trail.events.query', { tenant: 'N202400003' }],
    ];

    it.each(wrongTokens)('refuses a token %s at the gateway and at every service', async (_name, make) => {
      const token = make();
      expect((await api.withToken(token).get('/admin/audit-events')).status).toBe(401);
      // Straight to each service, with valid NATS credentials: each verifies the token itself.
      const gateway = await as('gateway');
      for (const [service, subject, data] of perService) {
        const reply = rpc(gateway, subject, { ctx: { requestId: randomUUID(), accessToken: token }, data });
        expect([service, await refusal(reply)]).toEqual([service, ErrorCode.Unauthorized]);
      }
    });

    it('publishes both keys during a rotation, and accepts tokens of either', async () => {
      const jwks = (await fetch(`${platform.rootUrl}/.well-known/jwks.json`).then((r) => r.json())) as {
        keys: Record<string, unknown>[];
      };
      expect(jwks.keys.map((k) => k.kid)).toEqual([newKey.kid, oldKey.kid]);
      expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
      // The operator's token came from auth: signed by the new key.
      expect(JSON.parse(Buffer.from(operatorToken.split('.')[0], 'base64url').toString('utf8'))).toEqual({
        alg: 'ES256',
        typ: 'at+jwt',
        kid: newKey.kid,
      });
      const gateway = await as('gateway');
      for (const key of [newKey, oldKey]) {
        const token = signAccessToken(claims, { key });
        expect((await api.withToken(token).get('/admin/audit-events')).status).toBe(200);
        const reply = await rpc(gateway, 'audit-trail.events.query', {
          ctx: { requestId: randomUUID(), accessToken: token },
          data: { tenant: 'N202400003' },
        });
        expect(reply.err).toBeUndefined();
        // A page of the trail: `{items, nextCursor}`.
        expect(Array.isArray((reply.response as { items?: unknown } | undefined)?.items)).toBe(true);
      }
    });
  });
});
