import { randomBytes } from 'node:crypto';
import { call, FakeTwilioServer, PrivateNats, startPrivateNats, waitFor } from '@app/testing';
import { DeliveryService } from '@app/notification/delivery/delivery.service';
import { MessageRepository } from '@app/notification/messages/message.repository';
import { SmsSender } from '@app/notification/providers/sms-sender';
import { AuthTestApp } from '../auth/auth-test-app';
import { accessToken, RunningGateway, startGateway } from '../gateway/gateway-harness';
import {
  newCode,
  newJob,
  NotificationTestApp,
  sleep,
  uniqueRedisPrefix,
} from './support/notification-test-app';

/**
 * NOTIF-5 end to end in-process: the gateway, auth and notification on a NATS of this file's own, SMS
 * through the Twilio adapter to a local server speaking Twilio's API, whose signed delivery receipts
 * come back through the gateway's public callback route.
 */
describe('message status history, Twilio receipts and /ops/messages', () => {
  const twilio = new FakeTwilioServer();
  const prefix = uniqueRedisPrefix();
  let nats: PrivateNats;
  let auth: AuthTestApp;
  let notification: NotificationTestApp;
  let gateway: RunningGateway;
  let operator: string;

  const api = (method: string, path: string, options: { token?: string; body?: unknown } = {}) =>
    call(gateway.url, method, `/api/v1${path}`, options);
  const history = async (id: string) => {
    const answer = await api('GET', `/ops/messages/${id}`, { token: operator });
    return answer.body as { status: string; history: { status: string; detail?: string }[] };
  };
  const statusOf = async (id: string, status: string) =>
    waitFor(async () => ((await history(id)).status === status ? true : undefined), {
      timeoutMs: 10_000,
      intervalMs: 50,
      description: `message ${id} ${status}`,
    });

  beforeAll(async () => {
    const { baseUrl } = await twilio.start();
    nats = await startPrivateNats();
    auth = await AuthTestApp.create({ rpcNatsUrl: nats.url, config: { REDIS_PREFIX: prefix } });
    gateway = await startGateway({
      NATS_URL: nats.url,
      NATS_REQUEST_TIMEOUT_MS: 10_000,
      RATE_LIMIT_CREDENTIAL_ADDRESS_PER_MINUTE: 100_000,
      RATE_LIMIT_CREDENTIAL_ACCOUNT_PER_MINUTE: 100_000,
      RATE_LIMIT_ANONYMOUS_ADDRESS_PER_MINUTE: 100_000,
      RATE_LIMIT_USER_PER_MINUTE: 100_000,
      RATE_LIMIT_SESSION_PER_MINUTE: 100_000,
    });
    notification = await NotificationTestApp.create({
      rpcNatsUrl: nats.url,
      config: {
        REDIS_PREFIX: prefix,
        NATS_URL: nats.url,
        RECIPIENT_HASH_SECRET: randomBytes(32).toString('hex'),
        SMS_PROVIDER: 'twilio',
        TWILIO_ACCOUNT_SID: twilio.accountSid,
        TWILIO_AUTH_TOKEN: twilio.authToken,
        TWILIO_FROM: '+15005550006',
        TWILIO_BASE_URL: baseUrl,
        TWILIO_STATUS_CALLBACK_URL: `${gateway.url}/api/v1/integrations/sms-status/twilio`,
        RETRY_MAX_DELAY_MS: 50,
      },
    });
    const op = await auth.newUser({ operator: true });
    operator = accessToken({ sub: op.id, tenant: null, role: 'operator' });
  }, 60_000);

  afterEach(() => twilio.clear());

  afterAll(async () => {
    await notification?.close();
    await gateway?.close();
    await auth?.close();
    await nats?.stop();
    await twilio.stop();
    await NotificationTestApp.purgeRedis(prefix);
  });

  it('records queued → sent → delivered for a login code, with the receipt through the gateway', async () => {
    twilio.autoCallbacks = ['sent', 'delivered'];
    const answersBefore = twilio.callbackAnswers.length;
    const tenant = await auth.newTenant();
    const phone = `+8190${String(Date.now()).slice(-8)}`;
    const user = await auth.newUser({ tenant, phone, mfaRequired: true });
    const login = await api('POST', '/auth/login', {
      body: { userId: user.userId, password: user.password },
    });
    expect(login.body).toMatchObject({ status: 'second_factor_required' });
    const flowId = (login.body as { flowId: string }).flowId;
    const challenge = await api('POST', `/auth/login/${flowId}/challenge`, { body: { method: 'sms' } });
    expect(challenge.status).toBe(202);

    const sms = await twilio.waitFor((m) => m.to === phone);
    expect(sms.body).toMatch(/\d{6}/);
    const messageId = new URL(sms.statusCallback!).searchParams.get('messageId')!;
    await statusOf(messageId, 'delivered');
    // The fake notes an answer once it has it back, which may be just after the status committed.
    for (let i = 0; i < 100 && twilio.callbackAnswers.length < answersBefore + 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(twilio.callbackAnswers.slice(answersBefore)).toEqual([204, 204]);

    const view = await api('GET', `/ops/messages/${messageId}`, { token: operator });
    expect(view.body).toMatchObject({
      id: messageId,
      type: 'security-code',
      channel: 'sms',
      recipient: `+81 90-****-${phone.slice(-4)}`,
      status: 'delivered',
      providerMessageId: sms.sid,
    });
    expect((view.body as { history: { status: string }[] }).history.map((h) => h.status)).toEqual([
      'queued',
      'sent',
      'delivered',
    ]);
    // Never the body or the number.
    expect(JSON.stringify(view.body)).not.toContain(phone.slice(3));
    expect(JSON.stringify(view.body)).not.toMatch(/\b\d{6}\b/);

    // A late `sent` after `delivered` does not move it back.
    expect(await twilio.callback(sms.sid, 'sent')).toBe(204);
    expect((await history(messageId)).status).toBe('delivered');

    // One audit fact per status change, without the recipient.
    const facts = await notification.auditEvents(messageId);
    expect(facts.map((f) => f.type)).toEqual(['notification.message.sent', 'notification.message.delivered']);
    expect(JSON.stringify(facts)).not.toContain(phone.slice(3));

    // The login screen learns when the code left.
    const status = await api('GET', `/auth/login/${flowId}`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ method: 'sms', sentAt: expect.any(String) });
  });

  it('maps undelivered with its error code onto failed', async () => {
    const job = newJob('security-code', {
      channel: 'sms',
      params: { code: newCode(), expiresInMinutes: 10 },
    });
    await notification.enqueue(job);
    const sms = await twilio.waitFor((m) => m.to === job.data.to[0]);
    await statusOf(job.data.messageId, 'sent');
    expect(await twilio.callback(sms.sid, 'undelivered', { errorCode: '30003' })).toBe(204);
    const view = await history(job.data.messageId);
    expect(view.status).toBe('failed');
    expect(view.history.at(-1)).toMatchObject({ status: 'failed', detail: 'twilio_30003' });
  });

  it('refuses a receipt with a wrong signature, and one without', async () => {
    const job = newJob('security-code', {
      channel: 'sms',
      params: { code: newCode(), expiresInMinutes: 10 },
    });
    await notification.enqueue(job);
    const sms = await twilio.waitFor((m) => m.to === job.data.to[0]);
    await statusOf(job.data.messageId, 'sent');
    expect(await twilio.callback(sms.sid, 'delivered', { signWith: 'not-the-auth-token' })).toBe(403);
    const unsigned = await fetch(sms.statusCallback!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ MessageSid: sms.sid, MessageStatus: 'delivered' }).toString(),
    });
    expect(unsigned.status).toBe(403);
    // The id in the URL is covered by the signature: a receipt moved to another message is refused.
    const other = sms.statusCallback!.replace(/messageId=[^&]+/, 'messageId=someone-else');
    expect(await twilio.callback(sms.sid, 'delivered', { url: other, signedUrl: sms.statusCallback })).toBe(
      403,
    );
    expect((await history(job.data.messageId)).status).toBe('sent');
  });

  it('resolves outcome_unknown by the delivery receipt', async () => {
    const job = newJob('security-code', {
      channel: 'sms',
      params: { code: newCode(), expiresInMinutes: 10 },
    });
    const repository = notification.get(MessageRepository);
    // A worker claimed the message and handed it to Twilio, then died before recording anything.
    const now = new Date();
    await repository.register(job.data, now);
    expect(await repository.claim(job.data.messageId, now, new Date(now.getTime() + 5))).toBe(1);
    await notification.moduleRef
      .get<SmsSender>(SmsSender, { strict: false })
      .send({ messageId: job.data.messageId, template: 'security-code', to: job.data.to, text: 'code' });
    const sms = await twilio.waitFor((m) => m.to === job.data.to[0]);
    await sleep(10);
    // The job's next run finds the lapsed claim: the outcome is unknown, so it is not sent again.
    expect(await notification.get(DeliveryService).deliver(job.data, 'sms')).toEqual({
      kind: 'failed',
      reason: 'outcome_unknown',
    });
    expect((await history(job.data.messageId)).status).toBe('failed');

    expect(await twilio.callback(sms.sid, 'delivered')).toBe(204);
    const view = await history(job.data.messageId);
    expect(view.status).toBe('delivered');
    expect(view.history.map((h) => [h.status, h.detail])).toEqual([
      ['queued', undefined],
      ['failed', 'outcome_unknown'],
      ['delivered', undefined],
    ]);
    expect(twilio.messages()).toHaveLength(1);
  });

  it('finds messages by recipient, type, status and time, masked, page by page', async () => {
    const address = `ta${randomBytes(4).toString('hex')}@example.com`;
    const jobs = [0, 1, 2].map(() =>
      newJob('password-reset-completed', { channel: 'email', to: [address], params: {} }),
    );
    for (const job of jobs) {
      await notification.enqueue(job, 'transactional');
    }
    for (const job of jobs) {
      await notification.waitForStatus(job.data.messageId, 'sent');
    }
    // A number of its own: other files' messages share the database (and newJob's numbers).
    const number = `+8170${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const sms = newJob('security-code', {
      channel: 'sms',
      to: [number],
      params: { code: newCode(), expiresInMinutes: 10 },
    });
    await notification.enqueue(sms);
    await notification.waitForStatus(sms.data.messageId, 'sent');

    const byRecipient = await api(
      'GET',
      `/ops/messages?recipient=${encodeURIComponent(address.toUpperCase())}`,
      {
        token: operator,
      },
    );
    expect(byRecipient.status).toBe(200);
    const items = (byRecipient.body as { items: { id: string; recipient: string; type: string }[] }).items;
    expect(items.map((i) => i.id).sort()).toEqual(jobs.map((j) => j.data.messageId).sort());
    expect(items[0]).toMatchObject({ recipient: `ta***@example.com`, type: 'password-reset-completed' });
    expect(JSON.stringify(byRecipient.body)).not.toContain(address);

    const filtered = await api(
      'GET',
      `/ops/messages?recipient=${encodeURIComponent(sms.data.to[0])}&type=security-code&status=sent` +
        `&from=${new Date(Date.now() - 60_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`,
      { token: operator },
    );
    expect((filtered.body as { items: { id: string }[] }).items.map((i) => i.id)).toEqual([
      sms.data.messageId,
    ]);
    const none = await api(
      'GET',
      `/ops/messages?recipient=${encodeURIComponent(sms.data.to[0])}&status=delivered`,
      { token: operator },
    );
    expect((none.body as { items: unknown[] }).items).toEqual([]);
    const later = await api(
      'GET',
      `/ops/messages?recipient=${encodeURIComponent(address)}&from=${new Date(Date.now() + 60_000).toISOString()}`,
      { token: operator },
    );
    expect((later.body as { items: unknown[] }).items).toEqual([]);

    // Every message of the run, 50 a page: the pages follow on without repeats.
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await api('GET', `/ops/messages${cursor ? `?cursor=${cursor}` : ''}`, { token: operator });
      const body = page.body as { items: { id: string }[]; nextCursor?: string };
      for (const item of body.items) {
        expect(seen.has(item.id)).toBe(false);
        seen.add(item.id);
      }
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor && pages < 200);
    for (const job of [...jobs, sms]) {
      expect(seen.has(job.data.messageId)).toBe(true);
    }

    expect((await api('GET', '/ops/messages?cursor=bm90LWEtY3Vyc29y', { token: operator })).status).toBe(400);
    expect((await api('GET', '/ops/messages?status=lost', { token: operator })).status).toBe(400);
    expect((await api('GET', '/ops/messages/unknown-message', { token: operator })).status).toBe(404);
  });

  it('answers 403 to anyone but an operator, and 401 without a token', async () => {
    const tenant = await auth.newTenant();
    const admin = await auth.newUser({ tenant, role: 'admin' });
    const token = accessToken({ sub: admin.id, tenant: tenant.number, role: 'admin' });
    expect((await api('GET', '/ops/messages', { token })).status).toBe(403);
    expect((await api('GET', '/ops/messages/some-id', { token })).status).toBe(403);
    expect((await api('GET', '/ops/messages')).status).toBe(401);
  });

  it('Twilio refusals: a bad number fails at once, a server error is retried', async () => {
    const refused = newJob('security-code', {
      channel: 'sms',
      params: { code: newCode(), expiresInMinutes: 10 },
    });
    twilio.refuse(refused.data.to[0], 21211);
    await notification.enqueue(refused);
    const failed = await notification.waitForStatus(refused.data.messageId, 'failed');
    expect(failed.last_error).toBe('twilio_21211');

    twilio.failNext(1);
    const retried = newJob('security-code', {
      channel: 'sms',
      params: { code: newCode(), expiresInMinutes: 10 },
    });
    await notification.enqueue(retried);
    await notification.waitForStatus(retried.data.messageId, 'sent');
    expect(twilio.requests()).toBeGreaterThanOrEqual(3);
  });
});
