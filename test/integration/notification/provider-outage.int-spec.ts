import { SmtpSink } from '@app/testing';
import { newCode, newJob, NotificationTestApp, uniqueRedisPrefix } from './support/notification-test-app';

/**
 * An SMTP server that goes away while codes are queued. Times are scaled down (the outage lasts
 * OUTAGE_MS, the codes live seconds instead of minutes, the backoff is capped at 1 s) so the test
 * stays short; the rule under test does not depend on the scale: a code is retried for as long as it
 * is valid and never sent after it expires, while other messages keep their own attempt budget.
 */
const OUTAGE_MS = 12_000;
const RETRY_ATTEMPTS = 3;

jest.setTimeout(90_000);

describe('an SMTP outage while codes are queued', () => {
  const prefix = uniqueRedisPrefix();
  const smtp = new SmtpSink();
  let port: number;
  let sut: NotificationTestApp;

  beforeAll(async () => {
    const { url } = await smtp.start();
    port = Number(new URL(url).port);
    sut = await NotificationTestApp.create({
      config: {
        REDIS_PREFIX: prefix,
        NODE_ENV: 'test',
        SMTP_URL: url,
        SMTP_REQUIRE_TLS: 'false',
        RETRY_ATTEMPTS,
        RETRY_MAX_DELAY_MS: 1_000,
        // The queue's pause is off here, so every message meets the outage on its own retry rules;
        // provider-pause.int-spec.ts shows the pause.
        PROVIDER_PAUSE_AFTER_FAILURES: 0,
      },
    });
  });

  afterAll(async () => {
    await sut?.close();
    await smtp.stop();
    await NotificationTestApp.purgeRedis(prefix);
  });

  it('delivers every code still valid when it ends, none after expiry, and fails a notice on its budget', async () => {
    await smtp.stop();
    const outageStarted = Date.now();
    const email = (expiresInMs: number) =>
      newJob('security-code', {
        channel: 'email',
        language: 'en',
        params: { code: newCode(), expiresInMinutes: 1 },
        expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
      });
    // Valid well past the outage: every one must arrive once the server is back.
    const lasting = await Promise.all(
      Array.from({ length: 10 }, () => sut.enqueue(email(OUTAGE_MS + 20_000))),
    );
    // Expire during the outage: none may ever arrive.
    const shortLived = await Promise.all(Array.from({ length: 5 }, () => sut.enqueue(email(OUTAGE_MS / 3))));
    // No expiry: RETRY_ATTEMPTS tries with the backoff, then failed.
    const notice = await sut.enqueue(
      newJob('password-changed', { channel: 'email', language: 'en', params: {} }),
      'transactional',
    );

    for (const job of shortLived) {
      expect((await sut.waitForStatus(job.data.messageId, 'expired', OUTAGE_MS)).status).toBe('expired');
    }
    expect((await sut.waitForStatus(notice.data.messageId, 'failed', OUTAGE_MS)).attempts).toBe(
      RETRY_ATTEMPTS,
    );
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - outageStarted))),
    );
    // Still trying: none of the lasting codes was given up during the outage.
    for (const job of lasting) {
      expect((await sut.message(job.data.messageId))?.status).toBe('queued');
    }

    await smtp.start(port);
    const back = Date.now();
    for (const job of lasting) {
      await sut.waitForStatus(job.data.messageId, 'sent', 15_000);
    }
    process.stdout.write(`smtp outage: ${lasting.length} codes delivered within ${Date.now() - back} ms\n`);
    const received = smtp.messages().flatMap((m) => m.to);
    for (const job of lasting) {
      expect(received.filter((to) => to === job.data.to[0])).toHaveLength(1);
    }
    for (const job of [...shortLived, notice]) {
      expect(received).not.toContain(job.data.to[0]);
    }
  });
});
