import { NotificationEnv } from '@app/config';
import { NotificationJobData } from '@app/contracts';
import { NewAuditEvent, OutboxWriter } from '@app/database';
import { createLogger, Metrics } from '@app/observability';
import { DataSource, EntityManager } from 'typeorm';
import { FakeClock } from '@app/testing';
import { Message, MessageStatus } from '../messages/message.entity';
import { BounceService } from '../bounces/bounce.service';
import { MessageRepository } from '../messages/message.repository';
import { DeliveryError } from '../providers/delivery.error';
import { GateEntry, LiveMessageGate } from './live-message.gate';
import { EmailSender } from '../providers/email-sender';
import { OutgoingMessage } from '../providers/outgoing-message';
import { SmsSender } from '../providers/sms-sender';
import { NotificationMetrics } from '../queue-metrics/notification-metrics';
import { TemplateRenderer } from '../templates/template-renderer';
import { DeliveryGuards } from './delivery-guards';
import { DeliveryService } from './delivery.service';
import { ProviderAcceptanceStore } from './provider-acceptance.store';
import { CircuitEntry, ProviderCircuit } from './provider-circuit';
import { SentRecord, SentRecorder } from './sent-recorder';

/** A provider circuit whose answers the test sets. */
class ScriptedCircuit {
  entry: CircuitEntry = { kind: 'open' };
  pausedAfterFailure = false;
  failures = 0;
  successes = 0;
  async enter(): Promise<CircuitEntry> {
    return this.entry;
  }
  async failure(): Promise<{ paused: boolean; newly: boolean }> {
    this.failures++;
    return { paused: this.pausedAfterFailure, newly: this.pausedAfterFailure };
  }
  async success(): Promise<boolean> {
    this.successes++;
    return false;
  }
}

/** The Redis marks of messages the provider took whose record failed, in memory. */
class InMemoryAcceptance {
  marks = new Map<string, Date>();
  async note(id: string, at: Date): Promise<void> {
    this.marks.set(id, at);
  }
  async acceptedAt(id: string): Promise<Date | null> {
    return this.marks.get(id) ?? null;
  }
  /** The leases noted unused, per message. */
  unused = new Map<string, number[]>();
  async noteUnusedClaim(id: string, lease: Date): Promise<void> {
    this.unused.set(id, [...(this.unused.get(id) ?? []), lease.getTime()]);
  }
  async unusedClaim(id: string, heldLease: Date): Promise<Date | null> {
    return this.unused.get(id)?.includes(heldLease.getTime()) ? heldLease : null;
  }
}

/** The message table's rules, in memory: the conditions of MessageRepository's UPDATEs. */
class InMemoryMessages {
  rows = new Map<
    string,
    { status: MessageStatus; attempts: number; claimedUntil: Date | null; lastError: string | null }
  >();

  async register(data: NotificationJobData): Promise<void> {
    if (!this.rows.has(data.messageId)) {
      this.rows.set(data.messageId, { status: 'queued', attempts: 0, claimedUntil: null, lastError: null });
    }
  }
  async registerAndClaim(data: NotificationJobData, now: Date, leaseUntil: Date): Promise<number | null> {
    await this.register(data);
    return this.claim(data.messageId, now, leaseUntil);
  }
  async claim(id: string, _now: Date, leaseUntil: Date): Promise<number | null> {
    const row = this.rows.get(id);
    if (!row || row.status !== 'queued' || row.claimedUntil) {
      return null;
    }
    row.attempts += 1;
    row.claimedUntil = leaseUntil;
    return row.attempts;
  }
  async dropUnusedClaim(id: string, held: Date, _now?: Date, uncounted = false): Promise<boolean> {
    const row = this.rows.get(id);
    if (!row || row.status !== 'queued' || row.claimedUntil?.getTime() !== held.getTime()) {
      return false;
    }
    row.claimedUntil = null;
    row.attempts -= uncounted ? 1 : 0;
    return true;
  }
  async release(id: string, _now: Date, error: string, uncounted = false): Promise<void> {
    const row = this.rows.get(id)!;
    row.claimedUntil = null;
    row.attempts -= uncounted ? 1 : 0;
    row.lastError = error;
  }
  private finish(id: string, status: MessageStatus, claimed: boolean, error: string | null = null): boolean {
    const row = this.rows.get(id);
    if (!row || row.status !== 'queued' || (row.claimedUntil !== null) !== claimed) {
      return false;
    }
    Object.assign(row, { status, claimedUntil: null, lastError: error ?? row.lastError });
    return true;
  }
  async markSent(_m: EntityManager, id: string, _now?: Date, _providerMessageId?: string | null) {
    return this.finish(id, 'sent', true);
  }
  async markFailed(_m: EntityManager, id: string, _now: Date, error: string) {
    return this.finish(id, 'failed', true, error);
  }
  async markExpired(_m: EntityManager, id: string) {
    return this.finish(id, 'expired', false);
  }
  async markAbandoned(_m: EntityManager, id: string) {
    return this.finish(id, 'failed', true, 'outcome_unknown');
  }
  async find(id: string): Promise<Message | null> {
    const row = this.rows.get(id);
    return row ? ({ messageId: id, ...row } as Message) : null;
  }
}

class ScriptedSms extends SmsSender {
  readonly provider = 'scripted';
  sent: OutgoingMessage[] = [];
  failures: DeliveryError[] = [];
  async send(message: OutgoingMessage): Promise<void> {
    const failure = this.failures.shift();
    if (failure) {
      throw failure;
    }
    this.sent.push(message);
  }
}

describe(DeliveryService.name, () => {
  const start = new Date('2026-01-01T00:00:00Z');
  let clock: FakeClock;
  let messages: InMemoryMessages;
  let sms: ScriptedSms;
  let events: NewAuditEvent[];
  let acceptance: InMemoryAcceptance;
  let circuit: ScriptedCircuit;
  let sut: DeliveryService;
  /** Runs while a `sent` record is being written (SentRecorder's batch). */
  let duringRecord: () => void;
  /** The live slot's answer once the circuit lets a job through, and a failure of the guard's Redis. */
  let gate: GateEntry;
  let guardFailure: Error | null;

  const job = (over: Partial<NotificationJobData> = {}): NotificationJobData =>
    ({
      messageId: 'm-1',
      channel: 'sms',
      template: 'security-code',
      language: 'ja',
      to: ['+819012345678'],
      params: { code: '123456', expiresInMinutes: 10 },
      expiresAt: new Date(start.getTime() + 10 * 60_000).toISOString(),
      correlationId: 'req-1',
      userId: 'user-1',
      tenants: ['N202400003'],
      ...over,
    }) as NotificationJobData;

  beforeEach(() => {
    clock = new FakeClock(start);
    messages = new InMemoryMessages();
    sms = new ScriptedSms();
    events = [];
    acceptance = new InMemoryAcceptance();
    circuit = new ScriptedCircuit();
    duringRecord = () => undefined;
    gate = { kind: 'go', pass: null };
    guardFailure = null;
    const outbox = {
      record: async (_m: EntityManager, e: NewAuditEvent) => void events.push(e),
    } as unknown as OutboxWriter;
    const dataSource = {
      transaction: (fn: (m: EntityManager) => unknown) => fn({} as EntityManager),
    } as unknown as DataSource;
    const config = {
      RETRY_ATTEMPTS: 3,
      RETRY_MAX_DELAY_MS: 60_000,
      PROVIDER_PROBE_INTERVAL_MS: 10_000,
      MAIL_FROM: 'Center <no@x.test>',
    } as NotificationEnv;
    sut = new DeliveryService(
      config,
      clock,
      dataSource,
      messages as unknown as MessageRepository,
      outbox,
      new TemplateRenderer(config),
      {} as EmailSender,
      sms,
      new Metrics('notification-spec'),
      () => 1,
      createLogger('notification-spec', 'silent'),
      // No job here names a live slot: the gate lets every one through.
      {
        enter: async () => ({ kind: 'go', pass: null }),
        leave: async () => undefined,
      } as unknown as LiveMessageGate,
      acceptance as unknown as ProviderAcceptanceStore,
      circuit as unknown as ProviderCircuit,
      // SMS only here: no e-mail bounce reaches it.
      { record: async () => ({ status: 'ignored' }) } as unknown as BounceService,
      { observeSend: () => undefined } as unknown as NotificationMetrics,
      // The circuit and the acceptance marks above, in DeliveryGuards' two steps.
      {
        enter: async () => {
          if (guardFailure) {
            throw guardFailure;
          }
          const entry = await circuit.enter();
          return entry.kind === 'paused' ? entry : { kind: 'circuit_open', gate };
        },
        sent: async (_channel: string, id: string, at: Date) => {
          await acceptance.note(id, at);
          return circuit.success();
        },
      } as unknown as DeliveryGuards,
      // One claim or record at a time, through the in-memory table's rules.
      {
        claim: (data: NotificationJobData, now: Date, leaseUntil: Date) =>
          messages.registerAndClaim(data, now, leaseUntil),
        record: async (r: SentRecord) => {
          duringRecord();
          const changed = await messages.markSent(
            {} as EntityManager,
            r.messageId,
            r.at,
            r.providerMessageId,
          );
          if (changed) {
            events.push(r.fact);
          }
          return changed;
        },
      } as unknown as SentRecorder,
    );
  });

  it("answers the provider's time of acceptance, not the time the record took to commit", async () => {
    const accepted = clock.now();
    duringRecord = () => clock.advance(5_000);
    await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'sent', acceptedAt: accepted });
    expect(clock.now().getTime() - accepted.getTime()).toBe(5_000);
  });

  it('sends once and records the sent event without the recipient or body', async () => {
    await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'sent', acceptedAt: clock.now() });
    expect(sms.sent).toHaveLength(1);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'notification.message.sent',
        target: { type: 'notification.message', id: 'm-1' },
        actor: { userId: 'user-1' },
        tenants: ['N202400003'],
      }),
    ]);
    expect(JSON.stringify(events)).not.toMatch(/\+8190|123456/);
  });

  it('does not send a message id twice', async () => {
    await sut.deliver(job(), 'sms');
    await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'duplicate', status: 'sent' });
    expect(sms.sent).toHaveLength(1);
  });

  it('expires at expiresAt, not a millisecond later', async () => {
    clock.advance(10 * 60_000);
    await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'expired' });
    expect(sms.sent).toHaveLength(0);
    expect(events.map((e) => e.type)).toEqual(['notification.message.expired']);
  });

  it('sends a millisecond before expiresAt', async () => {
    clock.advance(10 * 60_000 - 1);
    await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'sent', acceptedAt: clock.now() });
  });

  it('retries a message without expiry with the backoff, then fails after the last attempt', async () => {
    sms.failures = [1, 2, 3].map(() => new DeliveryError('webhook_status_500', false));
    const notice = () => job({ template: 'password-changed', params: {}, expiresAt: undefined } as never);
    await expect(sut.deliver(notice(), 'sms')).resolves.toEqual({
      kind: 'retry',
      delayMs: 1000,
      reason: 'webhook_status_500',
    });
    await expect(sut.deliver(notice(), 'sms')).resolves.toEqual({
      kind: 'retry',
      delayMs: 2000,
      reason: 'webhook_status_500',
    });
    await expect(sut.deliver(notice(), 'sms')).resolves.toEqual({
      kind: 'failed',
      reason: 'webhook_status_500',
    });
    expect(messages.rows.get('m-1')).toMatchObject({ status: 'failed', attempts: 3 });
    expect(events.map((e) => e.type)).toEqual(['notification.message.failed']);
  });

  it('retries a code past RETRY_ATTEMPTS for as long as it is valid, never waiting past its expiry', async () => {
    const expiry = start.getTime() + 10 * 60_000;
    sms.failures = Array.from({ length: 100 }, () => new DeliveryError('webhook_status_500', false));
    let retries = 0;
    while (clock.now().getTime() < expiry) {
      const outcome = await sut.deliver(job(), 'sms');
      expect(outcome).toMatchObject({ kind: 'retry', reason: 'webhook_status_500' });
      const { delayMs } = outcome as { delayMs: number };
      // The capped backoff (60 s), but never a wait that ends after the code's expiry.
      expect(delayMs).toBeLessThanOrEqual(60_000);
      expect(clock.now().getTime() + delayMs).toBeLessThanOrEqual(expiry);
      clock.advance(delayMs);
      retries++;
    }
    expect(retries).toBeGreaterThan(3);
    await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'expired' });
    expect(sms.sent).toHaveLength(0);
    expect(events.map((e) => e.type)).toEqual(['notification.message.expired']);
  });

  it('sends a code once the provider is back, however many attempts the outage took', async () => {
    sms.failures = Array.from({ length: 6 }, () => new DeliveryError('smtp_esocket', false));
    for (let attempt = 1; attempt <= 6; attempt++) {
      const outcome = await sut.deliver(job(), 'sms');
      expect(outcome.kind).toBe('retry');
      clock.advance((outcome as { delayMs: number }).delayMs);
    }
    await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'sent', acceptedAt: clock.now() });
    expect(messages.rows.get('m-1')).toMatchObject({ status: 'sent', attempts: 7 });
  });

  it('does not retry a permanent failure', async () => {
    sms.failures = [new DeliveryError('smtp_550', true)];
    await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'failed', reason: 'smtp_550' });
  });

  it('fails a message it cannot render, without calling the provider', async () => {
    await expect(
      sut.deliver(job({ params: { code: '12345', expiresInMinutes: 10 } } as never), 'sms'),
    ).resolves.toEqual({
      kind: 'failed',
      reason: 'template_invalid_code_parameter',
    });
    expect(sms.sent).toHaveLength(0);
  });

  it('waits for a worker that holds the message, and fails one abandoned mid-send', async () => {
    await messages.register(job());
    await messages.claim('m-1', start, new Date(start.getTime() + 5000));
    await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'busy', delayMs: 6000 });
    clock.advance(5000);
    await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'failed', reason: 'outcome_unknown' });
    expect(sms.sent).toHaveLength(0);
  });

  it('records `sent` on the next run when the provider took the message but the database refused the record', async () => {
    const markSent = messages.markSent.bind(messages);
    messages.markSent = () => Promise.reject(new Error('connection terminated'));
    await expect(sut.deliver(job(), 'sms')).rejects.toThrow('connection terminated');
    expect(messages.rows.get('m-1')).toMatchObject({ status: 'queued', attempts: 1 });
    expect(acceptance.marks.get('m-1')).toEqual(start);

    messages.markSent = markSent;
    clock.advance(30_000);
    // Still claimed: the next run records the send instead of sending again or giving up, and says
    // that it did not send it itself.
    await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'duplicate', status: 'sent' });
    expect(sms.sent).toHaveLength(1);
    expect(messages.rows.get('m-1')).toMatchObject({ status: 'sent', attempts: 1 });
    expect(events.map((e) => e.type)).toEqual(['notification.message.sent']);
  });

  it('records `sent`, not `expired`, for a code the provider took before its expiry', async () => {
    const markSent = messages.markSent.bind(messages);
    messages.markSent = () => Promise.reject(new Error('connection terminated'));
    await expect(sut.deliver(job(), 'sms')).rejects.toThrow();
    messages.markSent = markSent;
    clock.advance(11 * 60_000);
    await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'duplicate', status: 'sent' });
    expect(sms.sent).toHaveLength(1);
  });

  it('gives back a claim whose answer the database lost, and sends on the next run without waiting for the lease', async () => {
    const claim = messages.claim.bind(messages);
    messages.claim = async (id, now, lease) => {
      await claim(id, now, lease);
      throw new Error('connection terminated');
    };
    await expect(sut.deliver(job(), 'sms')).rejects.toThrow('connection terminated');
    messages.claim = claim;
    expect(messages.rows.get('m-1')?.claimedUntil).not.toBeNull();
    await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'busy', delayMs: 0 });
    await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'sent', acceptedAt: clock.now() });
    expect(sms.sent).toHaveLength(1);
  });

  it('expires, never sends, a code whose lost claim is given back after its expiry', async () => {
    const claim = messages.claim.bind(messages);
    messages.claim = async (id, now, lease) => {
      await claim(id, now, lease);
      throw new Error('connection terminated');
    };
    await expect(sut.deliver(job(), 'sms')).rejects.toThrow();
    messages.claim = claim;
    clock.advance(10 * 60_000);
    await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'busy', delayMs: 0 });
    await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'expired' });
    expect(sms.sent).toHaveLength(0);
  });

  it('gives back, on the next run, a claim the database would not release after a provider failure', async () => {
    sms.failures = [new DeliveryError('webhook_status_500', false)];
    const release = messages.release.bind(messages);
    messages.release = () => Promise.reject(new Error('connection terminated'));
    await expect(sut.deliver(job(), 'sms')).rejects.toThrow('connection terminated');
    messages.release = release;
    await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'busy', delayMs: 0 });
    await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'sent', acceptedAt: clock.now() });
    expect(sms.sent).toHaveLength(1);
  });

  it('gives back a lost claim although later runs lost their claims too while the database was away', async () => {
    const claim = messages.claim.bind(messages);
    messages.claim = async (id, now, lease) => {
      await claim(id, now, lease);
      throw new Error('connection terminated');
    };
    await expect(sut.deliver(job(), 'sms')).rejects.toThrow();
    // The database is away: the next runs' claims never reach it, and each notes its own lease.
    messages.claim = () => Promise.reject(new Error('connection refused'));
    for (let i = 0; i < 2; i++) {
      clock.advance(1000);
      await expect(sut.deliver(job(), 'sms')).rejects.toThrow('connection refused');
    }
    messages.claim = claim;
    await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'busy', delayMs: 0 });
    await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'sent', acceptedAt: clock.now() });
    expect(sms.sent).toHaveLength(1);
  });

  it('does not give back a claim another run took since', async () => {
    await messages.register(job());
    await messages.claim('m-1', start, new Date(start.getTime() + 5000));
    acceptance.unused.set('m-1', [start.getTime() + 1]);
    await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'busy', delayMs: 6000 });
  });

  describe('the guard, asked beside the claim, says no: the claim is given back uncounted', () => {
    it('a superseded code is recorded expired, never sent', async () => {
      gate = { kind: 'superseded' };
      await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'expired' });
      expect(messages.rows.get('m-1')).toMatchObject({ status: 'expired', attempts: 0, claimedUntil: null });
      expect(sms.sent).toHaveLength(0);
    });

    it('a code whose slot is with the provider in another run waits, its record untouched', async () => {
      gate = { kind: 'wait', delayMs: 1234 };
      await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'busy', delayMs: 1234 });
      expect(messages.rows.get('m-1')).toMatchObject({ status: 'queued', attempts: 0, claimedUntil: null });
      expect(sms.sent).toHaveLength(0);
      gate = { kind: 'go', pass: null };
      await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'sent', acceptedAt: clock.now() });
      expect(messages.rows.get('m-1')).toMatchObject({ status: 'sent', attempts: 1 });
    });

    it('Redis failing under the guard fails the run, with the claim given back for the next one', async () => {
      guardFailure = new Error('connection lost');
      await expect(sut.deliver(job(), 'sms')).rejects.toThrow('connection lost');
      expect(messages.rows.get('m-1')).toMatchObject({ status: 'queued', attempts: 0, claimedUntil: null });
      expect(sms.sent).toHaveLength(0);
      guardFailure = null;
      await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'sent', acceptedAt: clock.now() });
    });
  });

  describe('with the provider unreachable', () => {
    const notice = () => job({ template: 'password-changed', params: {}, expiresAt: undefined } as never);

    it('does not call a paused provider nor use an attempt: the job waits for the probe', async () => {
      circuit.entry = { kind: 'paused', delayMs: 4000 };
      await expect(sut.deliver(notice(), 'sms')).resolves.toEqual({ kind: 'paused', delayMs: 5000 });
      expect(messages.rows.get('m-1')).toMatchObject({ status: 'queued', attempts: 0 });
    });

    it('waits for a paused provider no longer than a code is valid', async () => {
      circuit.entry = { kind: 'paused', delayMs: 60_000 };
      clock.advance(10 * 60_000 - 3000);
      await expect(sut.deliver(job(), 'sms')).resolves.toEqual({ kind: 'paused', delayMs: 3000 });
    });

    it('keeps a notice past RETRY_ATTEMPTS while its queue is paused, then sends it', async () => {
      circuit.pausedAfterFailure = true;
      sms.failures = Array.from({ length: 5 }, () => new DeliveryError('webhook_unreachable', false, true));
      for (let i = 0; i < 5; i++) {
        await expect(sut.deliver(notice(), 'sms')).resolves.toEqual({
          kind: 'retry',
          delayMs: 12_500,
          reason: 'webhook_unreachable',
        });
      }
      expect(messages.rows.get('m-1')).toMatchObject({ status: 'queued', attempts: 0 });
      await expect(sut.deliver(notice(), 'sms')).resolves.toEqual({ kind: 'sent', acceptedAt: clock.now() });
      expect(messages.rows.get('m-1')).toMatchObject({ status: 'sent', attempts: 1 });
      expect(circuit.successes).toBe(1);
    });

    it('counts unreachable tries towards the budget until the queue pauses', async () => {
      sms.failures = Array.from({ length: 3 }, () => new DeliveryError('webhook_unreachable', false, true));
      for (let i = 0; i < 2; i++) {
        expect((await sut.deliver(notice(), 'sms')).kind).toBe('retry');
      }
      await expect(sut.deliver(notice(), 'sms')).resolves.toEqual({
        kind: 'failed',
        reason: 'webhook_unreachable',
      });
      expect(circuit.failures).toBe(3);
    });

    it('treats a refusal as an answer: the provider is reachable', async () => {
      sms.failures = [new DeliveryError('webhook_status_500', false)];
      await sut.deliver(notice(), 'sms');
      expect(circuit).toMatchObject({ failures: 0, successes: 1 });
    });
  });

  it('rejects a job on the wrong queue', async () => {
    await expect(sut.deliver(job(), 'email')).resolves.toEqual({ kind: 'failed', reason: 'wrong_queue' });
  });
});
