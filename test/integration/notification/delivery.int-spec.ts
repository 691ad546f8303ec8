import { createHash, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { NotificationQueue } from '@app/contracts';
import { RequestContext } from '@app/observability';
// Until libs/testing/src/index.ts re-exports the sinks (`@app/testing`), they are imported directly.
import { extractCode, SmtpSink, WebhookSink } from '@app/testing';
import { DeliveryService } from '@app/notification/delivery/delivery.service';
import { newCode, newJob, NotificationTestApp, uniqueRedisPrefix } from './support/notification-test-app';

jest.setTimeout(60_000);

const MAIL_FROM = 'Security Advisory Center <noreply@mamori.test>';
const RETRY_ATTEMPTS = 4;
/** Statements that register and claim 40 codes delivered at once. */
const MAX_CLAIM_STATEMENTS_FOR_40 = 2;

type QueryFn = (...args: unknown[]) => unknown;

/**
 * NOTIF-1…NOTIF-4 against real PostgreSQL and Redis, with a real SMTP server and a real HTTP webhook
 * standing in for the providers: what the outside world received is all the tests look at.
 */
describe('notification delivery', () => {
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
        PUBLIC_URL: 'https://portal.example',
        MAIL_FROM,
        SMS_PROVIDER: 'webhook',
        SMS_WEBHOOK_URL: hook.url,
        RETRY_ATTEMPTS,
        // Retries after 100–200 ms instead of seconds.
        RETRY_MAX_DELAY_MS: 200,
      },
    });
  });

  afterAll(async () => {
    await sut?.close();
    await Promise.all([smtp.stop(), webhook.stop()]);
    await NotificationTestApp.purgeRedis(prefix);
  });

  beforeEach(() => {
    smtp.clear();
    webhook.clear();
  });

  describe('e-mail over SMTP', () => {
    it('delivers a Japanese security code from MAIL_FROM, the code being the only 6-digit run', async () => {
      const code = newCode();
      const job = await sut.enqueue(
        newJob('security-code', { channel: 'email', language: 'ja', params: { code, expiresInMinutes: 5 } }),
      );
      const [address] = job.data.to;

      const mail = await smtp.waitFor((m) => m.to.includes(address));

      expect(mail.from).toBe(MAIL_FROM);
      expect(mail.subject).toBe('セキュリティコードのお知らせ');
      expect(mail.text).toContain(`セキュリティコード：${code}`);
      expect(mail.text).toContain('有効期限は5分です');
      expect(extractCode(`${mail.subject}\n${mail.text}`)).toBe(code);
    });

    it('delivers an English reset link with its expiry', async () => {
      const link = `https://portal.example/password-reset/${randomUUID()}`;
      const job = await sut.enqueue(
        newJob('password-reset-link', {
          channel: 'email',
          language: 'en',
          params: { link, expiresAt: '2030-06-01T03:30:00.000Z' },
        }),
        'transactional',
      );

      const mail = await smtp.waitFor((m) => m.to.includes(job.data.to[0]));

      expect(mail.subject).toBe('Reset your password');
      expect(mail.text).toContain(link);
      expect(mail.text).toContain('valid until 1 June 2030 at 12:30 (Japan time, UTC+9)');
    });

    it('records the message as sent, with an audit event that names neither recipient nor body', async () => {
      const code = newCode();
      const job = await sut.enqueue(
        newJob('security-code', { channel: 'email', language: 'en', params: { code, expiresInMinutes: 5 } }),
      );
      const [address] = job.data.to;
      await smtp.waitFor((m) => m.to.includes(address));

      const record = await sut.waitForStatus(job.data.messageId, 'sent');
      expect(record).toMatchObject({
        channel: 'email',
        template: 'security-code',
        attempts: 1,
        last_error: null,
      });
      expect(record.sent_at).toBeInstanceOf(Date);
      expect(record.recipient_hashes).toEqual([createHash('sha256').update(address).digest('hex')]);

      const events = await sut.auditEvents(job.data.messageId);
      expect(events).toEqual([
        expect.objectContaining({
          type: 'notification.message.sent',
          outcome: 'success',
          target: { type: 'notification.message', id: job.data.messageId },
          actor: { userId: job.data.userId },
          tenants: job.data.tenants,
          correlationId: job.data.correlationId,
        }),
      ]);
      const stored = JSON.stringify({ record, events });
      expect(stored).not.toContain(address);
      expect(stored).not.toContain(code);
    });

    it('retries a temporary SMTP rejection (451) and delivers once', async () => {
      smtp.failNext(1, 451);
      const job = await sut.enqueue(
        newJob('password-reset-completed', { channel: 'email', language: 'ja', params: {} }),
        'transactional',
      );

      const mail = await smtp.waitFor((m) => m.to.includes(job.data.to[0]));
      expect(mail.subject).toBe('パスワード再設定完了のお知らせ');
      const record = await sut.waitForStatus(job.data.messageId, 'sent');
      expect(record.attempts).toBe(2);
      expect(smtp.messages()).toHaveLength(1);
    });

    it('does not retry a permanent SMTP rejection (550): the message fails at once', async () => {
      smtp.failNext(1, 550);
      const job = await sut.enqueue(
        newJob('password-reset-refused', {
          channel: 'email',
          language: 'en',
          params: { until: '2030-01-01T00:00:00Z' },
        }),
      );

      const record = await sut.waitForStatus(job.data.messageId, 'failed');
      expect(record).toMatchObject({ attempts: 1, last_error: 'smtp_550' });
      expect(smtp.messages()).toHaveLength(0);
      expect((await sut.auditEvents(job.data.messageId)).map((e) => [e.type, e.outcome])).toEqual([
        ['notification.message.failed', 'failure'],
      ]);
    });
  });

  describe('SMS over the webhook adapter', () => {
    it('POSTs {messageId, to, body} as JSON, the code being the only 6-digit run', async () => {
      const code = newCode();
      const job = await sut.enqueue(
        newJob('security-code', { channel: 'sms', language: 'ja', params: { code, expiresInMinutes: 10 } }),
      );

      const sms = await webhook.waitFor((m) => m.messageId === job.data.messageId);

      expect(sms.to).toBe(job.data.to[0]);
      expect(sms.body).toContain(`セキュリティコード：${code}（有効期限10分）`);
      expect(extractCode(sms.body)).toBe(code);
      await sut.waitForStatus(job.data.messageId, 'sent');
    });

    it('retries a webhook that fails twice, then delivers once', async () => {
      webhook.failNext(2);
      const job = await sut.enqueue(
        newJob('security-code', {
          channel: 'sms',
          language: 'en',
          params: { code: newCode(), expiresInMinutes: 10 },
        }),
      );

      await webhook.waitFor((m) => m.messageId === job.data.messageId);
      const record = await sut.waitForStatus(job.data.messageId, 'sent');

      expect(record.attempts).toBe(3);
      expect(webhook.requests()).toBe(3);
      expect(webhook.messages().filter((m) => m.messageId === job.data.messageId)).toHaveLength(1);
      expect((await sut.auditEvents(job.data.messageId)).map((e) => e.type)).toEqual([
        'notification.message.sent',
      ]);
    });

    it('gives up after RETRY_ATTEMPTS with status failed and a failure event', async () => {
      webhook.failNext(100);
      const job = await sut.enqueue(
        newJob('security-code', {
          channel: 'sms',
          language: 'en',
          params: { code: newCode(), expiresInMinutes: 10 },
        }),
      );

      const record = await sut.waitForStatus(job.data.messageId, 'failed');

      expect(record).toMatchObject({ attempts: RETRY_ATTEMPTS, last_error: 'webhook_status_500' });
      expect(webhook.requests()).toBe(RETRY_ATTEMPTS);
      expect(webhook.messages()).toHaveLength(0);
      const [event] = await sut.auditEvents(job.data.messageId);
      expect(event).toMatchObject({ type: 'notification.message.failed', outcome: 'failure' });
      expect(event.reasons).toContain('webhook_status_500');
    });
  });

  describe('expiry (NOTIF-4)', () => {
    it('does not send a code whose expiresAt has passed; the message ends expired', async () => {
      const job = await sut.enqueue(
        newJob('security-code', {
          channel: 'sms',
          params: { code: newCode(), expiresInMinutes: 10 },
          expiresAt: new Date(Date.now() - 1000).toISOString(),
        }),
      );

      const record = await sut.waitForStatus(job.data.messageId, 'expired');
      await sut.waitForJobDone(NotificationQueue.Sms, job.data.messageId);

      expect(record.attempts).toBe(0);
      expect(webhook.requests()).toBe(0);
      expect((await sut.auditEvents(job.data.messageId)).map((e) => [e.type, e.outcome])).toEqual([
        ['notification.message.expired', 'info'],
      ]);
    });

    it('stops retrying a code once it expires: it ends expired, never delivered late', async () => {
      webhook.failNext(100);
      // Each retry waits at least 100 ms, so the 4th attempt would come after 300 ms: past expiry.
      const job = await sut.enqueue(
        newJob('security-code', {
          channel: 'sms',
          params: { code: newCode(), expiresInMinutes: 1 },
          expiresAt: new Date(Date.now() + 250).toISOString(),
        }),
      );

      const record = await sut.waitForStatus(job.data.messageId, 'expired');

      expect(record.attempts).toBeGreaterThanOrEqual(1);
      expect(record.attempts).toBeLessThan(RETRY_ATTEMPTS);
      expect(webhook.messages()).toHaveLength(0);
    });
  });

  describe('at most once per message id (NOTIF-4)', () => {
    it('sends once when the same message id is queued twice at once', async () => {
      const job = newJob('security-code', {
        channel: 'sms',
        params: { code: newCode(), expiresInMinutes: 10 },
      });
      await Promise.all([sut.enqueue(job), sut.enqueue(job)]);

      await sut.waitForStatus(job.data.messageId, 'sent');
      await sut.waitForJobDone(NotificationQueue.Sms, job.data.messageId);

      expect(webhook.messages().filter((m) => m.messageId === job.data.messageId)).toHaveLength(1);
    });

    it('sends once when the same message id is queued again after it was sent', async () => {
      const job = newJob('security-code', {
        channel: 'email',
        params: { code: newCode(), expiresInMinutes: 5 },
      });
      await sut.enqueue(job);
      await sut.waitForStatus(job.data.messageId, 'sent');
      await sut.waitForJobDone(NotificationQueue.Email, job.data.messageId);

      // The first job is gone (removeOnComplete), so BullMQ accepts the id again: the record decides.
      await sut.enqueue(job);
      expect(await sut.job(NotificationQueue.Email, job.data.messageId)).toBeDefined();
      await sut.waitForJobDone(NotificationQueue.Email, job.data.messageId);

      expect(smtp.messages().filter((m) => m.to.includes(job.data.to[0]))).toHaveLength(1);
      expect((await sut.message(job.data.messageId))?.attempts).toBe(1);
      expect((await sut.auditEvents(job.data.messageId)).map((e) => e.type)).toEqual([
        'notification.message.sent',
      ]);
    });

    it('records messages sent at the same moment together, each with its history line and audit fact', async () => {
      const jobs = Array.from({ length: 40 }, () =>
        newJob('security-code', { channel: 'sms', params: { code: newCode(), expiresInMinutes: 10 } }),
      );
      const delivery = sut.get(DeliveryService);

      // Each job in the request context of the user action that queued it, as the worker runs it.
      const outcomes = await Promise.all(
        jobs.map((job) =>
          RequestContext.run({ requestId: job.data.correlationId! }, () => delivery.deliver(job.data, 'sms')),
        ),
      );

      // Once `deliver` answers, the record is committed: the worker's job ends only then.
      expect(outcomes.every((o) => o.kind === 'sent')).toBe(true);
      const ids = jobs.map((j) => j.data.messageId);
      const history: { message_id: string; statuses: string[] }[] = await sut.dataSource.query(
        `SELECT message_id, array_agg(status ORDER BY id) AS statuses FROM notification.message_status
          WHERE message_id = ANY($1) GROUP BY message_id`,
        [ids],
      );
      expect(history).toHaveLength(40);
      expect(history.every((h) => h.statuses.join() === 'queued,sent')).toBe(true);
      for (const job of jobs) {
        expect(await sut.message(job.data.messageId)).toMatchObject({ status: 'sent', attempts: 1 });
        expect(await sut.auditEvents(job.data.messageId)).toEqual([
          expect.objectContaining({
            type: 'notification.message.sent',
            target: { type: 'notification.message', id: job.data.messageId },
            correlationId: job.data.correlationId,
          }),
        ]);
      }
      expect(webhook.requests()).toBe(40);
    });

    it('claims and records messages handled at the same moment in a few statements, not one per message', async () => {
      const jobs = Array.from({ length: 40 }, () =>
        newJob('security-code', { channel: 'sms', params: { code: newCode(), expiresInMinutes: 10 } }),
      );
      const delivery = sut.get(DeliveryService);
      // Every statement the pg client sends that reads or writes the message records (the claims and
      // the `sent` records; the outbox relay's and BullMQ's work are not counted).
      const pgClient = createRequire(__filename)('pg').Client as { prototype: { query: QueryFn } };
      const original = pgClient.prototype.query;
      let statements = 0;
      let registering = 0;
      pgClient.prototype.query = function (this: unknown, ...args: unknown[]) {
        const sql = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
        if (sql?.includes('notification.message')) {
          statements += 1;
        }
        if (sql && /INSERT INTO notification\.message\s/.test(sql)) {
          registering += 1;
        }
        return original.apply(this, args);
      };
      let outcomes: { kind: string }[];
      try {
        outcomes = await Promise.all(
          jobs.map((job) =>
            RequestContext.run({ requestId: job.data.correlationId! }, () =>
              delivery.deliver(job.data, 'sms'),
            ),
          ),
        );
      } finally {
        pgClient.prototype.query = original;
      }

      expect(outcomes.every((o) => o.kind === 'sent')).toBe(true);
      // The claims of one moment share a statement (SentRecorder), where each used to take its own:
      // 40 and more. The provider's answers come back spread out, so the `sent` records may take
      // several statements, sharing them with each other: fewer than one per message in all.
      expect(registering).toBeGreaterThan(0);
      expect(registering).toBeLessThanOrEqual(MAX_CLAIM_STATEMENTS_FOR_40);
      expect(statements).toBeLessThan(jobs.length);
      for (const job of jobs) {
        expect(await sut.message(job.data.messageId)).toMatchObject({ status: 'sent', attempts: 1 });
      }
    });

    it('sends once when 20 workers process the same message at the same time', async () => {
      const job = newJob('security-code', {
        channel: 'sms',
        params: { code: newCode(), expiresInMinutes: 10 },
      });
      const delivery = sut.get(DeliveryService);

      const outcomes = await Promise.all(Array.from({ length: 20 }, () => delivery.deliver(job.data, 'sms')));

      expect(outcomes.filter((o) => o.kind === 'sent')).toHaveLength(1);
      expect(
        outcomes.filter((o) => o.kind !== 'sent').every((o) => o.kind === 'busy' || o.kind === 'duplicate'),
      ).toBe(true);
      expect(webhook.requests()).toBe(1);
      expect((await sut.message(job.data.messageId))?.status).toBe('sent');
    });
  });
});
