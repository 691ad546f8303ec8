import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiClient, randomSuffix, SmtpSink, startPlatform, strongPassword, WebhookSink } from '@app/testing';
import { createOperator, loginWithEmailCode } from './support/story-helpers';

/** After the last SMS expected, how long nothing more may arrive for "exactly N" to hold. */
const QUIET_MS = 3000;

/**
 * NOTIF-7 end to end: the built services as processes, two replicas of auth and two of notification
 * sharing one Redis, the SMS provider a local webhook. The caps are the shipped defaults (5 codes per
 * number in 15 minutes); what counts is what the webhook received.
 */
describe('send caps across replicas, end to end', () => {
  const smtp = new SmtpSink();
  const sms = new WebhookSink();
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let api: ApiClient;
  let operatorApi: ApiClient;
  const suffix = randomSuffix();

  beforeAll(async () => {
    const [mail, hook] = await Promise.all([smtp.start(), sms.start()]);
    platform = await startPlatform({
      instances: { auth: 2, notification: 2 },
      // Six processes starting at once on a busy 2-core machine can take longer than the default.
      readyTimeoutMs: 120_000,
      env: {
        SMTP_URL: mail.url,
        SMS_PROVIDER: 'webhook',
        SMS_WEBHOOK_URL: hook.url,
        PUBLIC_URL: 'https://portal.example',
        // Counters of this platform only (the test run raises the caps for the other suites).
        REDIS_PREFIX: `caps${suffix}`,
        SEND_CAP_WINDOW_SECONDS: '900',
        SEND_CAP_PER_RECIPIENT: '5',
        SEND_CAP_PER_ACCOUNT: '10',
        SEND_CAP_RESET_MAILS: '3',
        PUSH_OPEN_REQUESTS_CAP: '3',
      },
    });
    api = new ApiClient(platform.baseUrl);

    const operator = {
      userId: `capops-${suffix}`,
      email: `capops-${suffix}@provider.example`,
      password: strongPassword(),
    };
    await createOperator(operator.userId, operator.email, operator.password);
    const tokens = await loginWithEmailCode(api, smtp, operator.userId, operator.email, operator.password);
    operatorApi = api.withToken(tokens.accessToken);
  });

  afterAll(async () => {
    await platform?.stop();
    await Promise.all([smtp.stop(), sms.stop()]);
  });

  /** A new tenant's representative admin with `phone`, whose password was set through the reset flow. */
  async function newUser(phone: string): Promise<{ userId: string; password: string }> {
    const tenant = `N2025${String(randomInt(0, 100_000)).padStart(5, '0')}`;
    const id = `${randomSuffix()}`;
    const opened = await operatorApi.post('/ops/tenants', { number: tenant, name: `Caps ${id}` });
    expect({ status: opened.status, body: opened.body }).toMatchObject({ status: 201 });
    const user = {
      userId: `cap-${id}@customer.example.fm`,
      email: `cap-${id}@customer.example`,
      password: strongPassword(),
    };
    const created = await operatorApi.post(`/ops/tenants/${tenant}/users`, {
      userId: user.userId,
      email: user.email,
      familyName: 'Sato',
      phone,
      language: 'en',
      admin: true,
    });
    expect({ status: created.status, body: created.body }).toMatchObject({ status: 201 });
    expect((await api.post('/auth/password-reset', { userId: user.userId, email: user.email })).status).toBe(
      202,
    );
    const mail = await smtp.waitFor(
      (m) => m.to.includes(user.email) && (m.text ?? '').includes('/password-reset/'),
    );
    const token = /\/password-reset\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1];
    expect((await api.post(`/auth/password-reset/${token}`, { newPassword: user.password })).status).toBe(
      204,
    );
    return user;
  }

  async function newFlow(user: { userId: string; password: string }): Promise<string> {
    const answer = await api.post('/auth/login', { userId: user.userId, password: user.password });
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('second_factor_required');
    return answer.body.flowId;
  }

  function challengeSms(flowId: string) {
    return api.post(`/auth/login/${flowId}/challenge`, { method: 'sms' });
  }

  /** Waits for `count` SMS to `phone`, then a quiet spell, and returns how many arrived in all. */
  async function smsCountTo(phone: string, count: number): Promise<number> {
    const deadline = Date.now() + 20_000;
    while (sms.messages().filter((m) => m.to === phone).length < count && Date.now() < deadline) {
      await sleep(50);
    }
    await sleep(QUIET_MS);
    return sms.messages().filter((m) => m.to === phone).length;
  }

  it('6 login flows for one phone within 15 minutes: the 6th challenge is 429, exactly 5 SMS arrive', async () => {
    const phone = `+8170${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
    const user = await newUser(phone);
    for (let i = 0; i < 5; i++) {
      const answer = await challengeSms(await newFlow(user));
      expect(answer.status).toBe(202);
    }
    const sixth = await challengeSms(await newFlow(user));
    expect(sixth.status).toBe(429);
    expect(sixth.body.error.code).toBe('too_many_messages');
    expect(sixth.body.error.details.retryAfter).toBeGreaterThan(800);
    expect(sixth.body.error.details.retryAfter).toBeLessThanOrEqual(900);
    expect(sixth.headers.get('retry-after')).toBe(String(sixth.body.error.details.retryAfter));

    expect(await smsCountTo(phone, 5)).toBe(5);
  });

  it('lets no more than 5 through when 8 challenges for one phone race across the replicas', async () => {
    const phone = `+8180${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
    const user = await newUser(phone);
    const flows: string[] = [];
    for (let i = 0; i < 8; i++) {
      flows.push(await newFlow(user));
    }
    const answers = await Promise.all(flows.map((flowId) => challengeSms(flowId)));
    expect(answers.map((a) => a.status).sort()).toEqual([202, 202, 202, 202, 202, 429, 429, 429]);
    expect(await smsCountTo(phone, 5)).toBe(5);
  });
});
