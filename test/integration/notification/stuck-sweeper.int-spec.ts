import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { Client } from 'pg';
import { NotificationQueue } from '@app/contracts';
import { FakeClock, waitFor } from '@app/testing';
import { ProviderAcceptanceStore } from '@app/notification/delivery/provider-acceptance.store';
import { MessageRepository } from '@app/notification/messages/message.repository';
import { StuckMessageSweeper, SWEEP_STALE_AFTER_MS } from '@app/notification/sweeper/stuck-message.sweeper';
import { newCode, newJob, NotificationTestApp, uniqueRedisPrefix } from './support/notification-test-app';

jest.setTimeout(60_000);

/** A local port nothing listens on: an SMTP provider that refuses every connection. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The sweeper against real PostgreSQL and Redis. The stuck records are made the way the service
 * leaves them — registered by a worker, claimed by a worker that then died, sent but not recorded —
 * with the service's own repository, and the time is the injected clock's.
 */
describe('the stuck message sweeper', () => {
  // A database of this file's own: sweeping on this file's clock must not touch the records of the
  // run's other files (their jobs live under other Redis prefixes, so they would look lost).
  const dbName = `mamori_sweep_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const adminUrl = process.env.DATABASE_URL as string;
  const url = (() => {
    const u = new URL(adminUrl);
    u.pathname = `/${dbName}`;
    return u.toString();
  })();
  const prefix = uniqueRedisPrefix();
  const clock = new FakeClock(new Date());
  let sut: NotificationTestApp;
  let sweeper: StuckMessageSweeper;
  let repository: MessageRepository;

  beforeAll(async () => {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    sut = await NotificationTestApp.create({
      clock,
      config: {
        DATABASE_URL: url,
        REDIS_PREFIX: prefix,
        NODE_ENV: 'test',
        // Keys the sealed copy of each job kept with its record.
        RECIPIENT_HASH_SECRET: 'r'.repeat(32),
        SMTP_URL: `smtp://127.0.0.1:${await closedPort()}`,
        SMTP_REQUIRE_TLS: 'false',
        RETRY_MAX_DELAY_MS: 200,
        // The test sweeps by hand.
        SWEEP_INTERVAL_SECONDS: 0,
      },
    });
    sweeper = sut.get(StuckMessageSweeper);
    repository = sut.get(MessageRepository);
  });

  afterAll(async () => {
    await sut?.close();
    await NotificationTestApp.purgeRedis(prefix);
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  const code = (expiresInMs: number) =>
    newJob('security-code', {
      channel: 'email',
      language: 'en',
      params: { code: newCode(), expiresInMinutes: 5 },
      expiresAt: new Date(clock.now().getTime() + expiresInMs).toISOString(),
    });

  /** The state a worker leaves when it claimed the message and then died (or lost its database). */
  async function claimed(expiresInMs: number) {
    const job = code(expiresInMs);
    await repository.register(job.data, clock.now());
    const lease = new Date(clock.now().getTime() + 2 * 60_000);
    expect(await repository.claim(job.data.messageId, clock.now(), lease)).toBe(1);
    return job;
  }

  it('resolves each kind of stuck record once, and leaves a message whose job is still at work', async () => {
    // Worker died mid-send: the provider may have it.
    const diedMidSend = await claimed(10 * 60_000);
    // The provider took it, then the `sent` UPDATE failed: the worker noted the acceptance in Redis.
    const sentNotRecorded = await claimed(10 * 60_000);
    const acceptedAt = clock.now();
    await sut.get(ProviderAcceptanceStore).note(sentNotRecorded.data.messageId, acceptedAt);
    // The claim's UPDATE went through but its answer was lost: the run noted the lease it asked for.
    const claimAnswerLost = await claimed(10 * 60_000);
    await sut
      .get(ProviderAcceptanceStore)
      .noteUnusedClaim(claimAnswerLost.data.messageId, new Date(clock.now().getTime() + 2 * 60_000));
    // Registered by a worker, then Redis lost the job: one still valid with a sealed copy of its
    // job, one still valid without (written before RECIPIENT_HASH_SECRET was set), one that expires.
    const lostRequeued = code(60 * 60_000);
    await repository.register(lostRequeued.data, clock.now());
    const lostValid = code(60 * 60_000);
    await repository.register(lostValid.data, clock.now());
    await sut.dataSource.query(`UPDATE notification.message SET sealed_job = NULL WHERE message_id = $1`, [
      lostValid.data.messageId,
    ]);
    const lostExpiring = code(60_000);
    await repository.register(lostExpiring.data, clock.now());
    // A code whose job is alive (its provider refuses connections, so it waits between retries).
    const working = await sut.enqueue(code(60 * 60_000));
    await waitFor(async () => ((await sut.message(working.data.messageId))?.attempts ?? 0) >= 1, {
      timeoutMs: 15_000,
    });

    clock.advance(2 * 60_000 + SWEEP_STALE_AFTER_MS);
    // Two replicas sweeping at the same moment.
    const [a, b] = await Promise.all([sweeper.sweepOnce(), sweeper.sweepOnce()]);
    expect(a.outcomeUnknown + b.outcomeUnknown).toBe(1);
    expect(a.sent + b.sent).toBe(1);
    expect(a.jobLost + b.jobLost).toBe(1);
    expect(a.expired + b.expired).toBe(1);
    expect(a.claimsDropped + b.claimsDropped).toBe(1);
    expect(a.requeued + b.requeued).toBe(1);

    expect(await sut.message(diedMidSend.data.messageId)).toMatchObject({
      status: 'failed',
      last_error: 'outcome_unknown',
    });
    const sent = await sut.message(sentNotRecorded.data.messageId);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1 });
    expect(sent?.sent_at?.getTime()).toBe(acceptedAt.getTime());
    expect(await sut.message(lostValid.data.messageId)).toMatchObject({
      status: 'failed',
      last_error: 'job_lost',
    });
    expect(await sut.message(lostExpiring.data.messageId)).toMatchObject({ status: 'expired' });
    // Never with the provider: queued and unclaimed again, no outcome recorded.
    const [dropped] = await sut.dataSource.query(
      `SELECT status, claimed_until FROM notification.message WHERE message_id = $1`,
      [claimAnswerLost.data.messageId],
    );
    expect(dropped).toEqual({ status: 'queued', claimed_until: null });
    expect(await sut.auditEvents(claimAnswerLost.data.messageId)).toEqual([]);
    expect((await sut.message(working.data.messageId))?.status).toBe('queued');
    // Queued again from its sealed copy: the worker takes it up (and meets the refusing provider).
    expect(await sut.job(NotificationQueue.Email, lostRequeued.data.messageId)).toBeDefined();
    await waitFor(async () => ((await sut.message(lostRequeued.data.messageId))?.attempts ?? 0) >= 1, {
      timeoutMs: 15_000,
    });
    expect((await sut.message(lostRequeued.data.messageId))?.status).toBe('queued');
    expect(await sut.job(NotificationQueue.Email, working.data.messageId)).toBeDefined();

    // One audit event per decision, whichever replica made it, saying it was swept.
    for (const [job, type] of [
      [diedMidSend, 'notification.message.failed'],
      [sentNotRecorded, 'notification.message.sent'],
      [lostValid, 'notification.message.failed'],
      [lostExpiring, 'notification.message.expired'],
    ] as const) {
      const events = await sut.auditEvents(job.data.messageId);
      expect(events.map((e) => e.type)).toEqual([type]);
      expect(events[0].reasons).toContain('swept');
      // Tagged with the message's tenants, as the worker's own events are.
      expect(events[0].tenants).toEqual(job.data.tenants);
    }

    // A second pass finds nothing more to do; the given-back claim's record (its job gone too) is
    // queued again once it has been left alone for the staleness margin.
    expect(await sweeper.sweepOnce()).toMatchObject({
      sent: 0,
      outcomeUnknown: 0,
      expired: 0,
      jobLost: 0,
      claimsDropped: 0,
      requeued: 0,
    });
    clock.advance(SWEEP_STALE_AFTER_MS);
    expect(await sweeper.sweepOnce()).toMatchObject({ requeued: 1, jobLost: 0 });
    expect(await sut.job(NotificationQueue.Email, claimAnswerLost.data.messageId)).toBeDefined();
  });

  it('leaves a claim that is still live', async () => {
    const held = await claimed(10 * 60_000);
    clock.advance(SWEEP_STALE_AFTER_MS);
    await sweeper.sweepOnce();
    expect((await sut.message(held.data.messageId))?.status).toBe('queued');
    clock.advance(2 * 60_000);
    await sweeper.sweepOnce();
    expect((await sut.message(held.data.messageId))?.last_error).toBe('outcome_unknown');
  });
});
