import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { NotificationQueue } from '@app/contracts';
import { createRedis } from '@app/messaging';
import { call, randomSuffix } from '@app/testing';
import { accessToken, RunningGateway, StandInServices, startGateway } from './gateway-harness';

jest.setTimeout(30_000);

/** NOTIF-6 item "queue visibility": the Bull Board dashboard, for operators only, codes never shown. */
describe('notification queue dashboard (/ops/queues)', () => {
  const prefix = `${(process.env.REDIS_PREFIX ?? 'test').slice(0, 16)}-board-${randomSuffix()}`;
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const queue = new Queue(NotificationQueue.Email, { connection: redis, prefix });
  const messageId = randomUUID();
  let gw: RunningGateway;

  beforeAll(async () => {
    // The stand-in answers auth's key request, so the gateway can verify the test tokens.
    gw = await startGateway({ REDIS_PREFIX: prefix }, new StandInServices());
    // A code waiting in the e-mail queue, as auth queues it (no notification service runs here).
    await queue.add(
      'security-code',
      {
        messageId,
        channel: 'email',
        template: 'security-code',
        language: 'ja',
        to: ['someone@example.test'],
        params: { code: '802611', expiresInMinutes: 10 },
        correlationId: randomUUID(),
      },
      { jobId: messageId, priority: 1 },
    );
  });

  afterAll(async () => {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await gw?.close();
    redis.disconnect();
  });

  it('answers 401 without a token and 403 to a tenant user or admin', async () => {
    expect((await call(gw.url, 'GET', '/api/v1/ops/queues')).status).toBe(401);
    for (const role of ['user', 'admin'] as const) {
      const token = accessToken({ role, tenant: 'N202400003' });
      expect((await call(gw.url, 'GET', '/api/v1/ops/queues', { token })).status).toBe(403);
      expect((await call(gw.url, 'GET', '/api/v1/ops/queues/api/queues', { token })).status).toBe(403);
    }
  });

  it('shows an operator the dashboard and the queues, with job data stripped of codes and addresses', async () => {
    const token = accessToken({ role: 'operator', tenant: null });
    const page = await call(gw.url, 'GET', '/api/v1/ops/queues', { token });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);

    const api = await call(
      gw.url,
      'GET',
      `/api/v1/ops/queues/api/queues?activeQueue=${NotificationQueue.Email}&status=prioritized&page=1&jobsPerPage=10`,
      { token },
    );
    expect(api.status).toBe(200);
    const names = (api.body.queues as { name: string }[]).map((q) => q.name).sort();
    expect(names).toEqual(Object.values(NotificationQueue).sort());
    const email = (api.body.queues as { name: string; jobs: { id: string; data: unknown }[] }[]).find(
      (q) => q.name === NotificationQueue.Email,
    );
    const job = email?.jobs.find((j) => j.id === messageId);
    expect(job?.data).toMatchObject({ template: 'security-code', channel: 'email', recipients: 1 });
    expect(JSON.stringify(api.body)).not.toContain('802611');
    expect(JSON.stringify(api.body)).not.toContain('someone@example.test');
  });

  it('refuses an operator any change (read-only)', async () => {
    const token = accessToken({ role: 'operator', tenant: null });
    const answer = await call(
      gw.url,
      'PUT',
      `/api/v1/ops/queues/api/queues/${NotificationQueue.Email}/pause`,
      {
        token,
      },
    );
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(await queue.isPaused()).toBe(false);
  });

  it('opens the dashboard in a browser tab through a cookie for reads only, and only on its own path', async () => {
    const token = accessToken({ role: 'operator', tenant: null });
    const session = await call(gw.url, 'POST', '/api/v1/ops/queues/session', { token });
    expect(session.status).toBe(204);
    const setCookie = session.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^mamori_queues=[A-Za-z0-9_.-]+;/);
    expect(setCookie).toMatch(/; Path=\/api\/v1\/ops\/queues(;|$)/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    // The cookie ends with the token: its Max-Age is the token's remaining life, not longer.
    const maxAge = Number(/Max-Age=(\d+)/.exec(setCookie)?.[1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(15 * 60);
    const cookie = { cookie: setCookie.split(';')[0] };

    const page = await call(gw.url, 'GET', '/api/v1/ops/queues', { headers: cookie });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const api = await call(gw.url, 'GET', '/api/v1/ops/queues/api/queues?page=1&jobsPerPage=10', {
      headers: cookie,
    });
    expect(api.status).toBe(200);
    // A change never rides on the cookie, and the cookie is no token anywhere else.
    const pause = await call(
      gw.url,
      'PUT',
      `/api/v1/ops/queues/api/queues/${NotificationQueue.Email}/pause`,
      {
        headers: cookie,
      },
    );
    expect(pause.status).toBe(401);
    expect((await call(gw.url, 'GET', '/api/v1/me', { headers: cookie })).status).toBe(401);
    expect(await queue.isPaused()).toBe(false);
  });

  it("refuses the dashboard cookie to anyone but an operator, and a cookie holding someone else's token", async () => {
    const admin = accessToken({ role: 'admin', tenant: 'N202400003' });
    expect((await call(gw.url, 'POST', '/api/v1/ops/queues/session', { token: admin })).status).toBe(403);
    const page = await call(gw.url, 'GET', '/api/v1/ops/queues', {
      headers: { cookie: `mamori_queues=${admin}` },
    });
    expect(page.status).toBe(403);
    const forged = await call(gw.url, 'GET', '/api/v1/ops/queues', {
      headers: { cookie: 'mamori_queues=a.b.c' },
    });
    expect(forged.status).toBe(401);
  });
});
