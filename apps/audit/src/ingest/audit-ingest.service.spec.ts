import { randomUUID } from 'node:crypto';
import { FakeClock } from '@app/testing';
import { AppendResult, AuditEventRepository } from '../store/audit-event.repository';
import { AuditIngestService } from './audit-ingest.service';
import { NormalizedAuditEvent } from './audit-event-payload.schema';

class FakeRepository {
  readonly appended: { event: NormalizedAuditEvent; receivedAt: Date }[] = [];
  private readonly ids = new Set<string>();
  failWith?: Error;

  async append(event: NormalizedAuditEvent, receivedAt: Date): Promise<AppendResult> {
    if (this.failWith) {
      throw this.failWith;
    }
    if (this.ids.has(event.id)) {
      return { stored: false };
    }
    this.ids.add(event.id);
    this.appended.push({ event, receivedAt });
    return { stored: true, seq: this.appended.length, hash: 'h' };
  }
}

const payload = (overrides: Record<string, unknown> = {}) =>
  new TextEncoder().encode(
    JSON.stringify({
      id: randomUUID(),
      type: 'auth.login.failed',
      occurredAt: '2026-01-01T00:00:00.000Z',
      actor: { tenant: 'T001' },
      outcome: 'failure',
      correlationId: 'c',
      ...overrides,
    }),
  );

describe(AuditIngestService.name, () => {
  let repository: FakeRepository;
  let clock: FakeClock;
  let sut: AuditIngestService;

  beforeEach(() => {
    repository = new FakeRepository();
    clock = new FakeClock(new Date('2026-01-01T00:00:05.000Z'));
    sut = new AuditIngestService(repository as unknown as AuditEventRepository, clock);
  });

  it('stores a valid event with the injected clock as its reception time', async () => {
    await expect(sut.ingest(payload())).resolves.toMatchObject({
      kind: 'stored',
      seq: 1,
      registeredType: true,
    });
    expect(repository.appended[0].receivedAt).toEqual(clock.now());
  });

  it('reports a second delivery of the same event id as a duplicate', async () => {
    const id = randomUUID();
    await sut.ingest(payload({ id }));
    await expect(sut.ingest(payload({ id }))).resolves.toMatchObject({ kind: 'duplicate' });
    expect(repository.appended).toHaveLength(1);
  });

  it('rejects a malformed payload without touching the store', async () => {
    await expect(sut.ingest(payload({ outcome: 'maybe' }))).resolves.toEqual({
      kind: 'rejected',
      problems: ['outcome: invalid_value'],
    });
    expect(repository.appended).toHaveLength(0);
  });

  it('lets a database failure through, for the consumer to retry', async () => {
    repository.failWith = new Error('connection refused');
    await expect(sut.ingest(payload())).rejects.toThrow('connection refused');
  });
});
