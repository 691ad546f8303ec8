import { JOB_PRIORITY, NotificationJob, NotificationQueue } from '@app/contracts';
import { Metrics } from '@app/observability';
import { SmtpSink, WebhookSink } from '@app/testing';
import {
  newCode,
  newJob,
  NotificationTestApp,
  sleep,
  uniqueRedisPrefix,
} from './support/notification-test-app';

jest.setTimeout(90_000);

/** Bulk mail queued at once: enough that, were codes behind it, they would wait many seconds. */
const BULK = 1_500;
const SMTP_MAX_PER_SECOND = 100;
const CODES = 20;

function bulkMail(i: number): NotificationJob {
  return newJob('case-update', {
    channel: 'email',
    language: i % 2 === 0 ? 'ja' : 'en',
    params: { caseNumber: 'CS0000001', event: 'status_changed', subject: 'Maintenance', status: 'Closed' },
  });
}

/**
 * NOTIF-1: one-time codes overtake bulk mail. An announcement goes to the bulk queue, worked under
 * SMTP_MAX_PER_SECOND; codes go to their own queue and never wait for it, nor for the limiter.
 */
describe('queue priority and bulk rate limit', () => {
  const prefix = uniqueRedisPrefix();
  const smtp = new SmtpSink();
  const webhook = new WebhookSink();
  let sut: NotificationTestApp;

  beforeAll(async () => {
    const [mail, hook] = await Promise.all([smtp.start(), webhook.start()]);
    sut = await NotificationTestApp.create({
      config: {
        REDIS_PREFIX: prefix,
        NODE_ENV: 'test',
        SMTP_URL: mail.url,
        SMTP_REQUIRE_TLS: 'false',
        SMS_PROVIDER: 'webhook',
        SMS_WEBHOOK_URL: hook.url,
        SMTP_MAX_PER_SECOND,
        SMS_MAX_PER_SECOND: 5,
      },
    });
  });

  afterAll(async () => {
    await sut?.close();
    await Promise.all([smtp.stop(), webhook.stop()]);
    await NotificationTestApp.purgeRedis(prefix);
  });

  it('queues bulk mail on the bulk queue at bulk priority, and a code on the code queue', async () => {
    const bulk = await sut.enqueue(newJob('password-changed', { channel: 'sms', params: {} }), 'bulk');
    const code = newJob('security-code', {
      channel: 'sms',
      params: { code: newCode(), expiresInMinutes: 10 },
    });
    await sut.producer.enqueue(code, 'code');
    const bulkJob = await sut.job(NotificationQueue.SmsBulk, bulk.data.messageId);
    expect(bulkJob === undefined || bulkJob.opts.priority === JOB_PRIORITY.bulk).toBe(true);
    expect(await sut.job(NotificationQueue.Sms, bulk.data.messageId)).toBeUndefined();
    await webhook.waitFor((m) => m.messageId === code.data.messageId);
    await webhook.waitFor((m) => m.messageId === bulk.data.messageId);
  });

  it(`delivers codes within seconds, not the bulk backlog, while ${BULK} bulk mails drain at SMTP_MAX_PER_SECOND`, async () => {
    smtp.clear();
    const bulk = Array.from({ length: BULK }, (_, i) => bulkMail(i));
    const bulkAddresses = new Set(bulk.map((j) => j.data.to[0]));
    await sut.producer.enqueueBulk(bulk);
    const bulkStarted = Date.now();
    // Let the bulk queue get going, so the codes arrive into a busy service.
    await sleep(500);

    const latencies: number[] = [];
    for (let i = 0; i < CODES; i += 1) {
      const job = newJob('security-code', {
        channel: 'email',
        params: { code: newCode(), expiresInMinutes: 10 },
      });
      const queuedAt = Date.now();
      await sut.producer.enqueue(job, 'code');
      const mail = await smtp.waitFor((m) => m.to.includes(job.data.to[0]), 5_000);
      latencies.push(mail.receivedAt.getTime() - queuedAt);
      await sleep(50);
    }
    const elapsedS = (Date.now() - bulkStarted) / 1000;
    const bulkSent = smtp.messages().filter((m) => bulkAddresses.has(m.to[0])).length;

    latencies.sort((a, b) => a - b);
    // Behind the bulk mail a code would wait BULK / SMTP_MAX_PER_SECOND = 15 s (the bound is loose for a
    // busy test machine; undisturbed, codes take tens of milliseconds).
    expect(latencies[latencies.length - 1]).toBeLessThan(3_000);
    // Bulk mail flowed meanwhile, within its rate limit (one window of slack), and is not done.
    expect(bulkSent).toBeGreaterThan(0);
    expect(bulkSent).toBeLessThanOrEqual(Math.ceil((elapsedS + 1) * SMTP_MAX_PER_SECOND));
    const counts = await sut.jobCounts(NotificationQueue.EmailBulk);
    expect((counts.prioritized ?? 0) + (counts.waiting ?? 0) + (counts.active ?? 0)).toBeGreaterThan(0);

    // What an operator sees in /metrics meanwhile: the backlog, its age, and the sends per provider.
    const text = await sut.get(Metrics).registry.metrics();
    const value = (pattern: RegExp): number => Number(pattern.exec(text)?.[1] ?? NaN);
    expect(
      value(
        /mamori_notification_queue_jobs\{[^}]*queue="notification-email-bulk",state="prioritized"[^}]*\} (\d+)/,
      ),
    ).toBeGreaterThan(0);
    expect(
      value(
        /mamori_notification_queue_oldest_job_age_seconds\{[^}]*queue="notification-email-bulk"[^}]*\} ([\d.]+)/,
      ),
    ).toBeGreaterThan(0.5);
    expect(
      value(
        /mamori_notification_sends_total\{[^}]*channel="email",provider="smtp",outcome="accepted"[^}]*\} (\d+)/,
      ),
    ).toBeGreaterThanOrEqual(CODES + bulkSent);
    expect(text).toMatch(
      /mamori_notification_queue_to_provider_seconds_count\{[^}]*queue="notification-email"[^}]*\} \d+/,
    );
    expect(text).toMatch(/mamori_notification_send_duration_seconds_bucket\{[^}]*provider="smtp"/);
  });
});
