import { randomUUID } from 'node:crypto';
import { connect, NatsConnection, StringCodec } from 'nats';
import { natsConnectionOptions } from '@app/messaging';
import { call, jwksOf, natsSettingsAs, randomSuffix, runSigningKeys } from '@app/testing';
import { accessToken, RunningGateway, startGateway } from './gateway-harness';

jest.setTimeout(30_000);

/**
 * The real NATS client: what the gateway puts on the wire for a service. A plain subscription gets a
 * copy of each request beside whatever service replica answers it, so this holds whatever else runs.
 */
describe('gateway → NATS', () => {
  let gw: RunningGateway;
  let nc: NatsConnection;

  beforeAll(async () => {
    nc = await connect(natsConnectionOptions(natsSettingsAs('test-harness')));
    // Stands in for auth's key set (no auth runs here), answering as a Nest service does.
    nc.subscribe('auth.keys.jwks', {
      callback: (_err, msg) => {
        const packet = JSON.parse(StringCodec().decode(msg.data)) as { id: string };
        msg.respond(
          StringCodec().encode(
            JSON.stringify({ id: packet.id, response: jwksOf(runSigningKeys()), isDisposed: true }),
          ),
        );
      },
    });
    gw = await startGateway({ NATS_REQUEST_TIMEOUT_MS: 1_000 });
  });

  afterAll(async () => {
    await gw?.close();
    await nc?.drain();
  });

  it('carries the request id, client, language and the access token, not a principal, in the envelope', async () => {
    const sub = nc.subscribe('auth.admin.user.list', { max: 1 });
    const received = (async () => {
      for await (const msg of sub) {
        return JSON.parse(StringCodec().decode(msg.data)) as { data: { ctx: any; data: unknown } };
      }
      throw new Error('no message');
    })();
    const requestId = `nats-${randomSuffix()}`;
    const sub_ = randomUUID();
    const token = accessToken({ sub: sub_, tenant: 'N202400003', role: 'admin', sfa: null });
    const answer = await call(gw.url, 'GET', '/api/v1/admin/users', {
      token,
      headers: { 'x-request-id': requestId, 'accept-language': 'ja', 'user-agent': 'gateway-test' },
      ip: '203.0.113.9',
    });
    const packet = await received;
    expect(packet.data.ctx).toEqual({
      requestId,
      ip: '203.0.113.9',
      userAgent: 'gateway-test',
      language: 'ja',
      accessToken: token,
    });
    expect(packet.data.data).toEqual({});
    // Whoever answered (a running auth, or nobody: 503), the answer is in the envelope, never a 500.
    expect(answer.status < 500 || answer.status === 503).toBe(true);
    if (answer.status >= 400) {
      expect(answer.body.error.requestId).toBe(requestId);
    }
  });
});
