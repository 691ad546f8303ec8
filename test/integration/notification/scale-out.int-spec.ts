import { WebhookSink } from '@app/testing';
import { newCode, newJob, NotificationTestApp, uniqueRedisPrefix } from './support/notification-test-app';

jest.setTimeout(60_000);

/** NOTIF-1: two replicas work the same queues; every message still goes out exactly once. */
describe('two notification replicas', () => {
  const prefix = uniqueRedisPrefix();
  const webhook = new WebhookSink();
  let first: NotificationTestApp;
  let second: NotificationTestApp;

  beforeAll(async () => {
    const hook = await webhook.start();
    const config = {
      REDIS_PREFIX: prefix,
      NODE_ENV: 'test' as const,
      SMS_PROVIDER: 'webhook' as const,
      SMS_WEBHOOK_URL: hook.url,
    };
    [first, second] = await Promise.all([
      NotificationTestApp.create({ config }),
      NotificationTestApp.create({ config }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await webhook.stop();
    await NotificationTestApp.purgeRedis(prefix);
  });

  it('delivers each of 40 messages once, whichever replica queued it', async () => {
    const jobs = Array.from({ length: 40 }, () =>
      newJob('security-code', { channel: 'sms', params: { code: newCode(), expiresInMinutes: 10 } }),
    );
    // Every message queued twice, once through each replica's producer.
    await Promise.all(jobs.flatMap((job) => [first.enqueue(job), second.enqueue(job)]));

    for (const job of jobs) {
      await first.waitForStatus(job.data.messageId, 'sent');
    }

    const ids = webhook.messages().map((m) => m.messageId);
    expect(ids).toHaveLength(40);
    expect(new Set(ids)).toEqual(new Set(jobs.map((j) => j.data.messageId)));
    expect(webhook.requests()).toBe(40);
  });
});
