import { NotificationQueue } from '@app/contracts';
import { SmtpSink } from '@app/testing';
import {
  capturingLogger,
  newCode,
  newJob,
  NotificationTestApp,
  uniqueRedisPrefix,
} from './support/notification-test-app';

/**
 * An SMTP server that cannot be reached for a while: after PROVIDER_PAUSE_AFTER_FAILURES unreachable
 * failures in a row the e-mail queue pauses, one message tries the server every
 * PROVIDER_PROBE_INTERVAL_MS, and the first success resumes the queue. Times are scaled down.
 */
const OUTAGE_MS = 10_000;
const RETRY_ATTEMPTS = 3;
const PROBE_INTERVAL_MS = 1_000;

jest.setTimeout(90_000);

describe('a provider outage pauses its queue', () => {
  const prefix = uniqueRedisPrefix();
  const smtp = new SmtpSink();
  const { logger, lines } = capturingLogger();
  let port: number;
  let sut: NotificationTestApp;

  beforeAll(async () => {
    const { url } = await smtp.start();
    port = Number(new URL(url).port);
    sut = await NotificationTestApp.create({
      logger,
      config: {
        REDIS_PREFIX: prefix,
        NODE_ENV: 'test',
        SMTP_URL: url,
        SMTP_REQUIRE_TLS: 'false',
        RETRY_ATTEMPTS,
        RETRY_MAX_DELAY_MS: 1_000,
        // Fewer than RETRY_ATTEMPTS: no notice can use up its budget before the pause.
        PROVIDER_PAUSE_AFTER_FAILURES: 2,
        PROVIDER_PROBE_INTERVAL_MS: PROBE_INTERVAL_MS,
        SWEEP_INTERVAL_SECONDS: 0,
      },
    });
  });

  afterAll(async () => {
    await sut?.close();
    await smtp.stop();
    await NotificationTestApp.purgeRedis(prefix);
  });

  const tries = () =>
    lines.filter((l) => l.msg === 'delivery failed; will retry' || l.msg === 'provider unreachable; waiting')
      .length;

  it('keeps notices without expiry through an outage longer than their retry budget, then delivers all', async () => {
    await smtp.stop();
    const outageStarted = Date.now();
    const notices = await Promise.all(
      Array.from({ length: 10 }, () =>
        sut.enqueue(
          newJob('password-changed', { channel: 'email', language: 'en', params: {} }),
          'transactional',
        ),
      ),
    );
    const codes = await Promise.all(
      Array.from({ length: 5 }, () =>
        sut.enqueue(
          newJob('security-code', {
            channel: 'email',
            language: 'en',
            params: { code: newCode(), expiresInMinutes: 1 },
            expiresAt: new Date(Date.now() + OUTAGE_MS + 30_000).toISOString(),
          }),
        ),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    // Without the pause each of the 15 would have tried about once a second (RETRY_MAX_DELAY_MS), and
    // every notice would have failed after its 3 attempts; paused, one message tries per interval.
    const triesDuringOutage = tries();
    const pausedFor = Date.now() - outageStarted;
    expect(triesDuringOutage).toBeLessThanOrEqual(15 + Math.ceil(pausedFor / PROBE_INTERVAL_MS) * 2);
    for (const job of notices) {
      expect((await sut.message(job.data.messageId))?.status).toBe('queued');
    }
    expect((await sut.jobCounts(NotificationQueue.Email)).failed).toBe(0);
    expect(lines.filter((l) => l.msg === 'provider unreachable; its queue is paused')).toHaveLength(1);

    await smtp.start(port);
    const back = Date.now();
    for (const job of [...notices, ...codes]) {
      const record = await sut.waitForStatus(job.data.messageId, 'sent', 20_000);
      // At most the one try before the pause counted, and the one that went through.
      expect(record.attempts).toBeLessThanOrEqual(2);
    }
    const recoveredMs = Date.now() - back;
    const received = smtp.messages().flatMap((m) => m.to);
    for (const job of [...notices, ...codes]) {
      expect(received.filter((to) => to === job.data.to[0])).toHaveLength(1);
    }
    expect(lines.filter((l) => l.msg === 'provider answering again; its queue resumed')).toHaveLength(1);
    process.stdout.write(
      `provider pause: ${OUTAGE_MS} ms outage, ${triesDuringOutage} provider tries during it (15 messages), all ${notices.length + codes.length} delivered once within ${recoveredMs} ms of the server's return\n`,
    );
  });
});
