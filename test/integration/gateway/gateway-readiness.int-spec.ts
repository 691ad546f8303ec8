import { connect, NatsConnection, Subscription } from 'nats';
import { HEALTH_SUBJECTS } from '@app/contracts';
import { natsConnectionOptions } from '@app/messaging';
import { call, jwksOf, natsSettingsAs, PrivateNats, runSigningKeys, startPrivateNats } from '@app/testing';
import { accessToken, RunningGateway, startGateway } from './gateway-harness';

jest.setTimeout(30_000);

/**
 * Readiness scope on a NATS of this file's own, with no service behind the gateway: the gateway's
 * /health/ready covers only its own dependencies (Redis and NATS); the platform-wide view sends the
 * health requests and is for operators (/api/v1/ops/status) or `?scope=platform`.
 */
describe('gateway readiness', () => {
  let nats: PrivateNats;
  let gw: RunningGateway;
  let nc: NatsConnection;
  let healthRequests: Subscription;
  let seen: string[];

  beforeAll(async () => {
    nats = await startPrivateNats();
    nc = await connect(natsConnectionOptions(natsSettingsAs('test-harness', nats.url)));
    seen = [];
    healthRequests = nc.subscribe('*.health');
    void (async () => {
      for await (const msg of healthRequests) {
        seen.push(msg.subject);
      }
    })();
    // Auth's one answer the gateway needs here: the keys it verifies access tokens with.
    nc.subscribe('auth.keys.jwks', {
      callback: (_err, msg) => {
        const { id } = JSON.parse(new TextDecoder().decode(msg.data)) as { id: string };
        msg.respond(JSON.stringify({ id, response: jwksOf(runSigningKeys()), isDisposed: true }));
      },
    });
    await nc.flush();
    gw = await startGateway({ NATS_URL: nats.url, NATS_REQUEST_TIMEOUT_MS: 500 });
  });

  afterAll(async () => {
    await gw?.close();
    await nc?.close();
    await nats?.stop();
  });

  it('/health/ready is 200 with no service running, and asks no service', async () => {
    seen.length = 0;
    for (let i = 0; i < 5; i++) {
      const ready = await call(gw.url, 'GET', '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: 'up', checks: { redis: 'up', nats: 'up' }, services: {} });
    }
    await nc.flush();
    expect(seen).toEqual([]);
  });

  it('?scope=platform asks every service once per second however many callers, and is 503 without them', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    seen.length = 0;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => call(gw.url, 'GET', '/health/ready?scope=platform')),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(answer.body.checks).toEqual({
        redis: 'up',
        nats: 'up',
        auth: 'down',
        notification: 'down',
        'case-management': 'down',
        audit: 'down',
      });
    }
    await nc.flush();
    expect(seen.sort()).toEqual(Object.values(HEALTH_SUBJECTS).sort());
  });

  it('/api/v1/ops/status gives the platform view to operators only', async () => {
    expect((await call(gw.url, 'GET', '/api/v1/ops/status')).status).toBe(401);
    const admin = await call(gw.url, 'GET', '/api/v1/ops/status', { token: accessToken({ role: 'admin' }) });
    expect(admin.status).toBe(403);
    const operator = await call(gw.url, 'GET', '/api/v1/ops/status', {
      token: accessToken({ role: 'operator', tenant: null }),
    });
    expect(operator.status).toBe(200);
    expect(operator.body).toMatchObject({
      status: 'down',
      checks: { redis: 'up', nats: 'up', auth: 'down', audit: 'down' },
    });
  });

  it('/health/ready is 503 with nats down once the NATS server is gone', async () => {
    await nc.close();
    await nats.stop();
    const ready = await call(gw.url, 'GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.checks).toEqual({ redis: 'up', nats: 'down' });
  });
});
