import { DomainError, ErrorCode, RpcEnvelope } from '@app/contracts';
import Redis from 'ioredis';
import { createRedis } from '@app/messaging';
import { extractCode } from '@app/testing';
import { DevOutboxController } from '@app/notification/dev-outbox/dev-outbox.controller';
import {
  DEV_OUTBOX_MAX,
  DEV_OUTBOX_TTL_MS,
  DevOutboxStore,
} from '@app/notification/dev-outbox/dev-outbox.store';
import { NotificationHealthController } from '@app/notification/health/notification-health.controller';
import {
  capturingLogger,
  newCode,
  newJob,
  NotificationTestApp,
  uniqueRedisPrefix,
} from './support/notification-test-app';

jest.setTimeout(60_000);

const envelope = (): RpcEnvelope<Record<string, never>> => ({
  ctx: { requestId: 'dev-outbox-test' },
  data: {},
});

/**
 * The development outbox (API.md "Running"): e-mail without SMTP_URL and SMS with
 * SMS_PROVIDER=outbox land in Redis, shared by every replica, listed by `notification.outbox.list`,
 * which production refuses.
 */
describe('development outbox', () => {
  const prefix = uniqueRedisPrefix();
  const devLog = capturingLogger();
  const testLog = capturingLogger();
  let dev: NotificationTestApp;
  let replica: NotificationTestApp;
  let redis: Redis;

  beforeAll(async () => {
    // No SMTP_URL, SMS_PROVIDER default (outbox).
    dev = await NotificationTestApp.create({
      config: { REDIS_PREFIX: prefix, NODE_ENV: 'development', SMTP_URL: undefined },
      logger: devLog.logger,
    });
    replica = await NotificationTestApp.create({
      config: { REDIS_PREFIX: prefix, NODE_ENV: 'test', SMTP_URL: undefined },
      logger: testLog.logger,
    });
    redis = createRedis(dev.config.REDIS_URL);
  });

  afterAll(async () => {
    redis?.disconnect();
    await dev?.close();
    await replica?.close();
    await NotificationTestApp.purgeRedis(prefix);
  });

  it('lists e-mail and SMS newest first, on every replica', async () => {
    const emailCode = newCode();
    const smsCode = newCode();
    const email = await dev.enqueue(
      newJob('security-code', {
        channel: 'email',
        language: 'en',
        params: { code: emailCode, expiresInMinutes: 5 },
      }),
    );
    await dev.waitForStatus(email.data.messageId, 'sent');
    const sms = await dev.enqueue(
      newJob('security-code', {
        channel: 'sms',
        language: 'ja',
        params: { code: smsCode, expiresInMinutes: 10 },
      }),
    );
    await dev.waitForStatus(sms.data.messageId, 'sent');

    const listed = await dev.get(DevOutboxController).list(envelope());

    expect(listed.map((m) => m.messageId).slice(0, 2)).toEqual([sms.data.messageId, email.data.messageId]);
    const [smsEntry, emailEntry] = listed;
    expect(smsEntry).toMatchObject({ channel: 'sms', to: sms.data.to });
    expect(smsEntry.subject).toBeUndefined();
    expect(extractCode(smsEntry.body)).toBe(smsCode);
    expect(emailEntry).toMatchObject({ channel: 'email', to: email.data.to, subject: 'Your security code' });
    expect(extractCode(`${emailEntry.subject}\n${emailEntry.body}`)).toBe(emailCode);
    expect(Date.parse(emailEntry.createdAt)).not.toBeNaN();

    expect(await replica.get(DevOutboxController).list(envelope())).toEqual(listed);
  });

  it('keeps at most 200 messages, for at most 24 hours', async () => {
    const store = dev.get(DevOutboxStore);
    for (let i = 0; i < DEV_OUTBOX_MAX + 5; i += 1) {
      await store.deliver('sms', {
        messageId: `cap-${i}`,
        template: 'password-reset-completed',
        to: ['+819000000000'],
        text: `n${i}`,
      });
    }

    const listed = await store.list();

    expect(listed).toHaveLength(DEV_OUTBOX_MAX);
    expect(listed[0].messageId).toBe(`cap-${DEV_OUTBOX_MAX + 4}`);
    expect(listed[DEV_OUTBOX_MAX - 1].messageId).toBe('cap-5');
    const ttl = await redis.pttl(`${prefix}:dev-outbox`);
    expect(ttl).toBeGreaterThan(DEV_OUTBOX_TTL_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(DEV_OUTBOX_TTL_MS);
  });

  it('prints one JSON line per message, with the body only when NODE_ENV=development', async () => {
    const message = {
      messageId: 'log-line',
      template: 'security-code' as const,
      to: ['someone@example.test'],
      subject: 'Your security code',
      text: 'code 123456',
    };
    await dev.get(DevOutboxStore).deliver('email', message);
    await replica.get(DevOutboxStore).deliver('email', { ...message, messageId: 'log-line-2' });

    const devLine = devLog.lines.find((l) => l.messageId === 'log-line');
    const testLine = testLog.lines.find((l) => l.messageId === 'log-line-2');

    expect(devLine).toMatchObject({
      devOutbox: true,
      channel: 'email',
      body: 'code 123456',
      to: ['someone@example.test'],
    });
    expect(testLine).toMatchObject({ devOutbox: true, channel: 'email', template: 'security-code' });
    expect(JSON.stringify(testLine)).not.toMatch(/123456|someone@example\.test/);
  });

  it('answers notification.health with the database and Redis checks', async () => {
    await expect(dev.get(NotificationHealthController).health(envelope())).resolves.toEqual({
      service: 'notification',
      status: 'up',
      checks: { database: 'up', redis: 'up' },
    });
  });

  describe('in production', () => {
    const prodPrefix = uniqueRedisPrefix();
    let prod: NotificationTestApp;

    beforeAll(async () => {
      prod = await NotificationTestApp.create({
        config: { REDIS_PREFIX: prodPrefix, NODE_ENV: 'production', SMTP_URL: undefined },
      });
    });

    afterAll(async () => {
      await prod?.close();
      await NotificationTestApp.purgeRedis(prodPrefix);
    });

    it('refuses to list the outbox (forbidden)', async () => {
      const refusal = prod.get(DevOutboxController).list(envelope());
      await expect(refusal).rejects.toBeInstanceOf(DomainError);
      await expect(refusal).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    });

    it('does not keep codes in the outbox: a message for it fails instead', async () => {
      const job = await prod.enqueue(
        newJob('security-code', { channel: 'sms', params: { code: newCode(), expiresInMinutes: 10 } }),
      );

      const record = await prod.waitForStatus(job.data.messageId, 'failed');

      expect(record.last_error).toBe('outbox_disabled_in_production');
      expect(await redis.exists(`${prodPrefix}:dev-outbox`)).toBe(0);
    });
  });
});
