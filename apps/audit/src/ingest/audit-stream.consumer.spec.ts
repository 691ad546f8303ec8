import { JsMsg } from 'nats';
import { Metrics } from '@app/observability';
import { silentLogger } from '@app/testing';
import { AuditServiceEnv } from '../audit-env.schema';
import { AuditIngestService, IngestOutcome } from './audit-ingest.service';
import { NormalizedAuditEvent } from './audit-event-payload.schema';
import { AuditStreamConsumer } from './audit-stream.consumer';
import { CheckpointPublisher } from '../checkpoint/checkpoint.publisher';

const IP = '203.0.113.99';
const UA = 'SecretBrowser/1.0';

const event: NormalizedAuditEvent = {
  id: '0b9d5e0e-8a51-4e0f-9d5c-0d7f0f9b1a11',
  type: 'auth.login.succeeded',
  occurredAt: '2026-01-01T00:00:00.000Z',
  actor: { tenant: 'T001', ip: IP, userAgent: UA },
  target: null,
  outcome: 'success',
  reasons: [],
  correlationId: 'c',
  tenants: ['T001'],
  userId: null,
};

function fakeMessage(redeliveryCount = 0) {
  return {
    subject: 'audit.auth.login.succeeded',
    seq: 42,
    data: new TextEncoder().encode(JSON.stringify({ ...event, actor: { ip: IP, userAgent: UA } })),
    info: { redeliveryCount },
    ack: jest.fn(),
    nak: jest.fn(),
    term: jest.fn(),
    working: jest.fn(),
  };
}

describe(AuditStreamConsumer.name, () => {
  let next: () => Promise<IngestOutcome>;
  let lines: { level: string; fields: unknown; message: string }[];
  let sut: AuditStreamConsumer;

  beforeEach(() => {
    lines = [];
    // One message per batch here: the batch's outcome for it is whatever the test says.
    const ingest = { ingestBatch: async () => [await next()] } as unknown as AuditIngestService;
    const config = { AUDIT_CONSUMER_NAME: 'unit', AUDIT_CONSUMER_START: 'new' } as AuditServiceEnv;
    const checkpoints = { noteStored: () => undefined } as unknown as CheckpointPublisher;
    sut = new AuditStreamConsumer(config, ingest, new Metrics('audit-unit'), checkpoints, silentLogger());
    const record = (level: string) => (fields: unknown, message: string) =>
      lines.push({ level, fields, message });
    // The logger is the one collaborator replaced here: the test reads what would be written.
    Object.assign(sut, {
      logger: {
        info: record('info'),
        warn: record('warn'),
        debug: record('debug'),
        error: record('error'),
        isLevelEnabled: () => true,
      },
    });
  });

  const handle = (msg: ReturnType<typeof fakeMessage>) =>
    (sut as unknown as { handleBatch(m: JsMsg[]): Promise<void> }).handleBatch([msg as unknown as JsMsg]);

  it('acks a stored event only after the store answered, logging its type and id only', async () => {
    const msg = fakeMessage();
    next = async () => {
      expect(msg.ack).not.toHaveBeenCalled();
      return { kind: 'stored', event, seq: 7, registeredType: true };
    };
    await handle(msg);
    expect(msg.ack).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([
      { level: 'debug', fields: { type: event.type, id: event.id, seq: 7 }, message: 'audit event stored' },
    ]);
  });

  it('acks a duplicate without storing it again', async () => {
    const msg = fakeMessage();
    next = async () => ({ kind: 'duplicate', event });
    await handle(msg);
    expect(msg.ack).toHaveBeenCalledTimes(1);
    expect(msg.nak).not.toHaveBeenCalled();
  });

  it('terminates a malformed payload so it is never redelivered, logging where and not what', async () => {
    const msg = fakeMessage();
    next = async () => ({ kind: 'rejected', problems: ['actor.userId: invalid_format'] });
    await handle(msg);
    expect(msg.term).toHaveBeenCalledWith();
    expect(msg.ack).not.toHaveBeenCalled();
    expect(lines).toEqual([
      {
        level: 'warn',
        fields: { subject: msg.subject, streamSeq: 42, problems: ['actor.userId: invalid_format'] },
        message: 'malformed audit event terminated',
      },
    ]);
  });

  it('naks a database failure with a growing delay, capped at a minute, and never terminates it', async () => {
    next = async () => {
      throw new Error('connection terminated');
    };
    const delays: number[] = [];
    for (const redeliveries of [0, 1, 2, 10, 1000]) {
      const msg = fakeMessage(redeliveries);
      await handle(msg);
      expect(msg.ack).not.toHaveBeenCalled();
      expect(msg.term).not.toHaveBeenCalled();
      delays.push(msg.nak.mock.calls[0][0]);
    }
    expect(delays).toEqual([1000, 2000, 4000, 60_000, 60_000]);
  });

  it('never writes the actor IP or user agent to the log, whatever happens', async () => {
    const outcomes: (() => Promise<IngestOutcome>)[] = [
      async () => ({ kind: 'stored', event, seq: 1, registeredType: false }),
      async () => ({ kind: 'duplicate', event }),
      async () => ({ kind: 'rejected', problems: ['id: invalid_format'] }),
      async () => {
        throw new Error('deadlock detected');
      },
    ];
    for (const outcome of outcomes) {
      next = outcome;
      await handle(fakeMessage());
    }
    expect(lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(lines)).not.toContain(IP);
    expect(JSON.stringify(lines)).not.toContain(UA);
  });
});
