import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { liveMessageKey, NotificationJob, NotificationQueue } from '@app/contracts';
import { waitFor, WebhookSink } from '@app/testing';
import { LiveMessageGate } from '@app/notification/delivery/live-message.gate';
import { NOTIFICATION_REDIS } from '@app/notification/redis/redis.tokens';
import { newCode, newJob, NotificationTestApp, uniqueRedisPrefix } from './support/notification-test-app';

jest.setTimeout(60_000);

/** A security code of `slot` (a login flow) to `to`, as the auth service queues a (re)sent one. */
function codeJob(slot: string, to: string): NotificationJob {
  return newJob('security-code', {
    channel: 'sms',
    language: 'en',
    to: [to],
    params: { code: newCode(), expiresInMinutes: 10 },
    liveSlot: slot,
  });
}

function codeOf(job: NotificationJob): string {
  return (job.data.params as { code: string }).code;
}

/**
 * A resent code supersedes the earlier one (item "an old code never arrives after a newer one"):
 * its job is withdrawn while it waits, and refused at send time once a worker has seen it. Real
 * Redis and PostgreSQL, a real HTTP webhook standing in for the SMS provider.
 */
describe('superseded security codes', () => {
  const prefix = uniqueRedisPrefix();
  const webhook = new WebhookSink();
  let sut: NotificationTestApp;

  beforeAll(async () => {
    const hook = await webhook.start();
    sut = await NotificationTestApp.create({
      deferInit: true,
      config: {
        REDIS_PREFIX: prefix,
        NODE_ENV: 'test',
        SMS_PROVIDER: 'webhook',
        SMS_WEBHOOK_URL: hook.url,
        // A failed first attempt is retried after 0.5–1 s: time to resend in between.
        RETRY_MAX_DELAY_MS: 3000,
      },
    });
  });

  afterAll(async () => {
    await sut?.close();
    await webhook.stop();
    await NotificationTestApp.purgeRedis(prefix);
  });

  const smsTo = (to: string) => webhook.messages().filter((m) => m.to === to);

  it('withdraws the earlier code while it still waits in the queue: only the newer one is sent', async () => {
    const slot = `login-flow:${randomUUID()}`;
    const to = '+819055550001';
    // The workers are not running yet: both jobs wait.
    const first = await sut.enqueue(codeJob(slot, to));
    expect(await sut.job(NotificationQueue.Sms, first.data.messageId)).toBeDefined();
    const second = await sut.enqueue(codeJob(slot, to));
    expect(await sut.job(NotificationQueue.Sms, first.data.messageId)).toBeUndefined();

    await sut.init();
    await sut.waitForStatus(second.data.messageId, 'sent');
    // Another message of another slot to the same number goes out too: the refusal is per slot.
    const other = await sut.enqueue(codeJob(`login-flow:${randomUUID()}`, to));
    await sut.waitForStatus(other.data.messageId, 'sent');
    expect(smsTo(to).map((m) => m.messageId)).toEqual([second.data.messageId, other.data.messageId]);
    expect(smsTo(to).some((m) => m.body.includes(codeOf(first)))).toBe(false);
    expect(await sut.message(first.data.messageId)).toBeUndefined();
  });

  it('refuses at send time an earlier code waiting for a retry: it ends expired (superseded), never sent', async () => {
    const slot = `login-flow:${randomUUID()}`;
    const to = '+819055550002';
    webhook.failNext(1);
    const first = await sut.enqueue(codeJob(slot, to));
    // The first attempt failed at the provider; the job waits for its retry.
    await waitFor(
      async () => {
        const row = await sut.message(first.data.messageId);
        return row && row.attempts === 1 && row.last_error !== null ? row : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 20, description: 'a failed first attempt' },
    );
    const second = await sut.enqueue(codeJob(slot, to));

    const expired = await sut.waitForStatus(first.data.messageId, 'expired');
    await sut.waitForStatus(second.data.messageId, 'sent');
    expect(expired.sent_at).toBeNull();
    expect(expired.attempts).toBe(1);
    expect(smsTo(to).map((m) => m.messageId)).toEqual([second.data.messageId]);
    const events = await sut.auditEvents(first.data.messageId);
    expect(events.map((e) => [e.type, e.reasons])).toEqual([
      ['notification.message.expired', ['channel:sms', 'template:security-code', 'superseded']],
    ]);
  });

  it('holds a newer code while an earlier one of its slot is with the provider, then refuses the earlier', async () => {
    const gate = sut.get(LiveMessageGate);
    const redis = sut.get<Redis>(NOTIFICATION_REDIS);
    const slot = `login-flow:${randomUUID()}`;
    const first = codeJob(slot, '+819055550003');
    const second = codeJob(slot, '+819055550003');
    // The slot pointed at each message in turn, as the producer does, with no job for a worker.
    await redis.set(liveMessageKey(prefix, slot), first.data.messageId);
    const sending = await gate.enter(first.data, 60_000);
    expect(sending).toEqual({ kind: 'go', pass: expect.anything() });

    await redis.set(liveMessageKey(prefix, slot), second.data.messageId);
    const waiting = await gate.enter(second.data, 60_000);
    expect(waiting).toEqual({ kind: 'wait', delayMs: expect.any(Number) });
    expect(waiting.kind === 'wait' && waiting.delayMs).toBeGreaterThan(59_000);

    await gate.leave(sending.kind === 'go' ? sending.pass : null);
    expect(await gate.enter(second.data, 60_000)).toEqual({ kind: 'go', pass: expect.anything() });
    expect(await gate.enter(first.data, 60_000)).toEqual({ kind: 'superseded' });
  });
});
