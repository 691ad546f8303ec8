import { NotificationQueue } from '@app/contracts';
import { SmtpSink, TcpProxy, waitFor } from '@app/testing';
import { newCode, newJob, NotificationTestApp, uniqueRedisPrefix } from './support/notification-test-app';

/**
 * The notification database goes away while codes are queued and being sent, then comes back. The
 * service reaches PostgreSQL through a TCP proxy that this file stops (every open connection cut, new
 * ones refused) and starts again: what a PostgreSQL restart does to its clients, without touching the
 * server other test runs share. Codes live seconds instead of minutes; the rule under test does not
 * depend on the scale: no job is lost to a database error, every code still valid is delivered once,
 * none after its expiry.
 */
const OUTAGE_MS = 12_000;

jest.setTimeout(120_000);

describe('a notification database outage while codes are queued', () => {
  const prefix = uniqueRedisPrefix();
  const smtp = new SmtpSink();
  const proxy = TcpProxy.forUrl(process.env.DATABASE_URL!);
  let sut: NotificationTestApp;

  beforeAll(async () => {
    const { url } = await smtp.start();
    await proxy.start();
    sut = await NotificationTestApp.create({
      config: {
        REDIS_PREFIX: prefix,
        NODE_ENV: 'test',
        DATABASE_URL: proxy.rewrite(process.env.DATABASE_URL!),
        SMTP_URL: url,
        SMTP_REQUIRE_TLS: 'false',
        RETRY_MAX_DELAY_MS: 1_000,
        SWEEP_INTERVAL_SECONDS: 0,
      },
    });
  });

  afterAll(async () => {
    await sut?.close();
    await proxy.stop();
    await smtp.stop();
    await NotificationTestApp.purgeRedis(prefix);
  });

  const email = (expiresInMs: number) =>
    newJob('security-code', {
      channel: 'email',
      language: 'en',
      params: { code: newCode(), expiresInMinutes: 1 },
      expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
    });

  it('delivers every code still valid once the database is back, each once, and none after expiry', async () => {
    // A burst being sent when the database goes: some are claimed, some with the provider.
    const burst = await Promise.all(Array.from({ length: 30 }, () => sut.enqueue(email(OUTAGE_MS + 60_000))));
    await waitFor(() => smtp.messages().length >= 3, { timeoutMs: 30_000, intervalMs: 5 });
    await proxy.stop();
    const outageStarted = Date.now();

    // Queued during the outage: valid well past it, or expiring during it.
    const during = await Promise.all(
      Array.from({ length: 15 }, () => sut.enqueue(email(OUTAGE_MS + 60_000))),
    );
    const shortLived = await Promise.all(Array.from({ length: 5 }, () => sut.enqueue(email(OUTAGE_MS / 3))));
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - outageStarted))),
    );
    // No job was given up while the database was away.
    const counts = await sut.jobCounts(NotificationQueue.Email);
    expect(counts.failed).toBe(0);

    await proxy.start();
    const back = Date.now();
    const lasting = [...burst, ...during];
    for (const job of lasting) {
      await sut.waitForStatus(job.data.messageId, 'sent', 60_000);
    }
    const recoveredMs = Date.now() - back;
    for (const job of shortLived) {
      await sut.waitForStatus(job.data.messageId, 'expired', 30_000);
    }

    const received = smtp.messages().flatMap((m) => m.to);
    for (const job of lasting) {
      expect(received.filter((to) => to === job.data.to[0])).toHaveLength(1);
    }
    for (const job of shortLived) {
      expect(received).not.toContain(job.data.to[0]);
    }
    for (const job of lasting) {
      await sut.waitForJobDone(NotificationQueue.Email, job.data.messageId, 30_000);
    }
    expect((await sut.jobCounts(NotificationQueue.Email)).failed).toBe(0);
    process.stdout.write(
      `database outage: ${OUTAGE_MS} ms; ${lasting.length} valid codes delivered once each within ${recoveredMs} ms of its return; ${shortLived.length} expired, 0 sent late, 0 twice\n`,
    );
  });
});
