import { randomBytes } from 'node:crypto';
import { ApiClient, randomSuffix, SmtpSink, startPlatform, strongPassword, waitFor } from '@app/testing';
import { createOperator, loginWithEmailCode } from './support/story-helpers';

/**
 * CASE-9 with the built services as processes, each as its own NATS user: alerts posted while the
 * case service is killed are queued by the gateway on CASE_ALERTS (with the gateway's permissions)
 * and applied by the case service when it is started again (with its own), each as one case.
 */
describe('alerts while the case service is down (CASE-9)', () => {
  const smtp = new SmtpSink();
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let ops: ApiClient;

  beforeAll(async () => {
    const mail = await smtp.start();
    platform = await startPlatform({ env: { SMTP_URL: mail.url } });
    const api = new ApiClient(platform.baseUrl);
    const operator = {
      userId: `ops-al-${randomSuffix()}`,
      email: `ops-al-${randomSuffix()}@provider.example`,
      password: strongPassword(),
    };
    await createOperator(operator.userId, operator.email, operator.password);
    const { accessToken } = await loginWithEmailCode(
      api,
      smtp,
      operator.userId,
      operator.email,
      operator.password,
    );
    ops = api.withToken(accessToken);
  });

  afterAll(async () => {
    await platform?.stop();
    await smtp.stop();
  });

  it('queues alerts with 202 while the case service is killed and makes exactly one case of each when it is back', async () => {
    const tenant = `A${randomBytes(4).toString('hex').toUpperCase()}`;
    const service = `s${randomBytes(4).toString('hex')}`;
    expect((await ops.post('/ops/tenants', { number: tenant, name: 'Alert Co.' })).status).toBe(201);
    expect((await ops.post('/ops/services', { code: service, name: { ja: 'EDR', en: 'EDR' } })).status).toBe(
      201,
    );
    expect(
      (await ops.post(`/ops/tenants/${tenant}/contracts`, { service, startDate: '2026-04-01' })).status,
    ).toBe(201);
    const key = await ops.post('/ops/integrations', {
      name: 'EDR',
      scopes: ['alerts:write'],
      tenants: [tenant],
    });
    expect(key.status).toBe(201);
    const machine = new ApiClient(platform.baseUrl);
    const send = (externalId: string, subject: string) =>
      machine.post(
        '/integrations/alerts',
        { externalId, service, subject, description: 'detected' },
        {
          'x-api-key': key.body.apiKey,
        },
      );

    const tag = randomBytes(4).toString('hex');
    expect((await send(`${tag}-0`, `${tag} before`)).status).toBe(201);

    await platform.signal('case-management', 'SIGKILL');
    const ids = Array.from({ length: 5 }, (_, i) => `${tag}-${i + 1}`);
    const answers = await Promise.all([
      ...ids.map((id) => send(id, `${tag} ${id}`)),
      send(ids[0], `${tag} ${ids[0]}`),
    ]);
    expect(answers.map((a) => [a.status, a.body.status])).toEqual(answers.map(() => [202, 'queued']));

    platform.start('case-management');
    const subjects = await waitFor(
      async () => {
        const page = await ops.get(`/ops/cases?view=alerts&pageSize=100&q=${tag}`);
        const found: string[] =
          page.status === 200 ? page.body.items.map((c: { subject: string }) => c.subject) : [];
        return found.length >= ids.length + 1 ? found : undefined;
      },
      { timeoutMs: 90_000, description: 'the queued alerts applied' },
    );
    expect([...subjects].sort()).toEqual([`${tag} before`, ...ids.map((id) => `${tag} ${id}`)].sort());
    // Answered directly again, as the same case.
    const again = await send(ids[0], `${tag} ${ids[0]}`);
    expect(again.status).toBe(200);
  });
});
