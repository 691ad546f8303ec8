import { JOB_PRIORITY, NotificationQueue } from '@app/contracts';
import { WebhookSink } from '@app/testing';
import { newCode, newJob, NotificationTestApp, uniqueRedisPrefix } from './support/notification-test-app';

jest.setTimeout(60_000);

/** NOTIF-1: one-time codes overtake bulk mail on the same queue. */
describe('queue priority', () => {
  const prefix = uniqueRedisPrefix();
  const webhook = new WebhookSink();
  let sut: NotificationTestApp;

  beforeAll(async () => {
    const hook = await webhook.start();
    // One job at a time and the workers not yet running, so the order taken is the queue's order.
    sut = await NotificationTestApp.create({
      config: { REDIS_PREFIX: prefix, NODE_ENV: 'test', SMS_PROVIDER: 'webhook', SMS_WEBHOOK_URL: hook.url },
      concurrency: 1,
      deferInit: true,
    });
  });

  afterAll(async () => {
    await sut?.close();
    await webhook.stop();
    await NotificationTestApp.purgeRedis(prefix);
  });

  it('processes a code queued after several bulk messages before them', async () => {
    const bulk = [];
    for (let i = 0; i < 5; i += 1) {
      bulk.push(
        await sut.enqueue(newJob('password-reset-completed', { channel: 'sms', params: {} }), 'bulk'),
      );
    }
    const code = await sut.enqueue(
      newJob('security-code', { channel: 'sms', params: { code: newCode(), expiresInMinutes: 10 } }),
      'code',
    );

    expect((await sut.job(NotificationQueue.Sms, code.data.messageId))?.opts.priority).toBe(
      JOB_PRIORITY.code,
    );
    expect((await sut.job(NotificationQueue.Sms, bulk[0].data.messageId))?.opts.priority).toBe(
      JOB_PRIORITY.bulk,
    );

    await sut.init();
    for (const job of bulk) {
      await webhook.waitFor((m) => m.messageId === job.data.messageId);
    }

    const order = webhook.messages().map((m) => m.messageId);
    expect(order).toHaveLength(6);
    expect(order[0]).toBe(code.data.messageId);
    expect(order.slice(1)).toEqual(bulk.map((j) => j.data.messageId));
  });
});
