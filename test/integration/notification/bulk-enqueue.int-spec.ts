import { JOB_PRIORITY, NotificationQueue } from '@app/contracts';
import { BULK_CHUNK } from '@app/messaging';
import { newCode, newJob, NotificationTestApp, uniqueRedisPrefix } from './support/notification-test-app';

jest.setTimeout(60_000);

/** NOTIF-1: an audience's messages go in with addBulk, in chunks, on the bulk queue apart from codes (CASE-11 e-mail). */
describe('bulk enqueue', () => {
  const prefix = uniqueRedisPrefix();
  let sut: NotificationTestApp;

  beforeAll(async () => {
    // Workers not running: what is queued stays to be looked at.
    sut = await NotificationTestApp.create({
      config: { REDIS_PREFIX: prefix, NODE_ENV: 'test' },
      deferInit: true,
    });
  });

  afterAll(async () => {
    await sut?.close();
    await NotificationTestApp.purgeRedis(prefix);
  });

  it('queues more than a chunk on the bulk queue, each message once, and codes on their own queue', async () => {
    const jobs = Array.from({ length: BULK_CHUNK * 2 + 37 }, () =>
      newJob('password-reset-completed', { channel: 'email', params: {} }),
    );
    const started = Date.now();
    await sut.producer.enqueueBulk(jobs);
    const bulkMs = Date.now() - started;
    // Queued again (a resumed mailing): nothing is added twice.
    await sut.producer.enqueueBulk(jobs.slice(0, 10));
    const counts = await sut.jobCounts(NotificationQueue.EmailBulk);
    expect(counts.prioritized + counts.waiting).toBe(jobs.length);
    const codeQueue = await sut.jobCounts(NotificationQueue.Email);
    expect(codeQueue.prioritized + codeQueue.waiting).toBe(0);
    for (const sample of [jobs[0], jobs[BULK_CHUNK], jobs[jobs.length - 1]]) {
      expect((await sut.job(NotificationQueue.EmailBulk, sample.data.messageId))?.opts.priority).toBe(
        JOB_PRIORITY.bulk,
      );
    }
    const code = await sut.enqueue(
      newJob('security-code', { channel: 'email', params: { code: newCode(), expiresInMinutes: 10 } }),
      'code',
    );
    expect((await sut.job(NotificationQueue.Email, code.data.messageId))?.opts.priority).toBe(
      JOB_PRIORITY.code,
    );
    console.log(`bulk enqueue: ${jobs.length} jobs in ${bulkMs} ms`);

    await expect(
      sut.producer.enqueueBulk([
        newJob('password-reset-completed', { channel: 'email', params: {}, liveSlot: 'x' }),
      ]),
    ).rejects.toThrow('live slot');
  });
});
