import { randomUUID } from 'node:crypto';
import { ErrorCode, Principal } from '@app/contracts';
import { AuditEventRecord } from '../store/audit-event-record.entity';
import { AuditEventFilter, AuditEventRepository } from '../store/audit-event.repository';
import { AuditQueryService, clampLimit } from './audit-query.service';

class FakeRepository {
  readonly calls: { tenant: string; filter: AuditEventFilter }[] = [];
  rows: AuditEventRecord[] = [];

  async findForTenant(tenant: string, filter: AuditEventFilter): Promise<AuditEventRecord[]> {
    this.calls.push({ tenant, filter });
    return this.rows;
  }
}

const principal = (tenant: string | null, role: Principal['role'] = 'admin'): Principal => ({
  id: randomUUID(),
  sessionId: randomUUID(),
  tenant,
  role,
  secondFactorAt: null,
});

describe(AuditQueryService.name, () => {
  let repository: FakeRepository;
  let sut: AuditQueryService;

  beforeEach(() => {
    repository = new FakeRepository();
    sut = new AuditQueryService(repository as unknown as AuditEventRepository);
  });

  it('always asks the store for the one tenant, with the filters as types it understands', async () => {
    const userId = randomUUID();
    await sut.query(
      {
        tenant: 'T001',
        type: 'auth.login.failed',
        userId: userId.toUpperCase(),
        from: '2026-01-01T00:00:00+09:00',
      },
      principal('T001'),
    );
    expect(repository.calls).toEqual([
      {
        tenant: 'T001',
        filter: {
          type: 'auth.login.failed',
          userId,
          from: new Date('2025-12-31T15:00:00.000Z'),
          to: undefined,
          limit: 100,
        },
      },
    ]);
  });

  it('maps a stored row to the view, with seq as a number and no empty target', async () => {
    const row = Object.assign(new AuditEventRecord(), {
      seq: '12',
      id: randomUUID(),
      type: 'auth.login.succeeded',
      occurredAt: new Date('2026-01-01T00:00:00.000Z'),
      actor: { tenant: 'T001' },
      target: null,
      outcome: 'success',
      reasons: [],
      correlationId: 'c',
      tenants: ['T001'],
      userId: null,
      receivedAt: new Date(),
      prevHash: 'p',
      hash: 'h',
    });
    repository.rows = [row];
    await expect(sut.query({ tenant: 'T001' }, principal('T001'))).resolves.toEqual([
      {
        seq: 12,
        hash: 'h',
        id: row.id,
        type: 'auth.login.succeeded',
        occurredAt: '2026-01-01T00:00:00.000Z',
        actor: { tenant: 'T001' },
        outcome: 'success',
        reasons: [],
        correlationId: 'c',
        tenants: ['T001'],
      },
    ]);
  });

  it("shows a tenant admin only their tenant's number; an operator the fact as stored", async () => {
    const row = Object.assign(new AuditEventRecord(), {
      seq: '7',
      id: randomUUID(),
      type: 'auth.password.changed',
      occurredAt: new Date('2026-01-01T00:00:00.000Z'),
      // Written before scoping (issue 16): the tenant the user acted in, and every tenant of theirs.
      actor: { userId: randomUUID(), tenant: 'T002', ip: '198.51.100.7' },
      target: null,
      outcome: 'success',
      reasons: [],
      correlationId: 'c',
      tenants: ['T001', 'T002'],
      userId: null,
      receivedAt: new Date(),
      prevHash: 'p',
      hash: 'h',
    });
    repository.rows = [row];
    const [seen] = await sut.query({ tenant: 'T001' }, principal('T001'));
    expect(seen.tenants).toEqual(['T001']);
    expect(seen.actor).toEqual({ userId: row.actor.userId, ip: '198.51.100.7' });
    expect(JSON.stringify(seen)).not.toContain('T002');
    const [asStored] = await sut.query({ tenant: 'T001' }, principal(null, 'operator'));
    expect(asStored).toMatchObject({ actor: row.actor, tenants: ['T001', 'T002'] });
  });

  it.each([
    ['an empty tenant', { tenant: '' }],
    ['a user id that is no uuid', { tenant: 'T001', userId: 'admin01' }],
    ['a from that is no time', { tenant: 'T001', from: 'yesterday' }],
  ])('refuses %s as validation_failed', async (_name, request) => {
    await expect(sut.query(request, principal(request.tenant))).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
    });
    expect(repository.calls).toHaveLength(0);
  });

  it("refuses a tenant user asking for another tenant's trail; operators may ask for any", async () => {
    await expect(sut.query({ tenant: 'T002' }, principal('T001'))).rejects.toMatchObject({
      code: ErrorCode.Forbidden,
    });
    await expect(sut.query({ tenant: 'T002' }, principal(null, 'operator'))).resolves.toEqual([]);
    await expect(sut.query({ tenant: 'T001' }, principal('T001'))).resolves.toEqual([]);
  });

  it('refuses a caller without a principal and a tenant user who is not an admin', async () => {
    await expect(sut.query({ tenant: 'T001' })).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    await expect(sut.query({ tenant: 'T001' }, principal('T001', 'user'))).rejects.toMatchObject({
      code: ErrorCode.Forbidden,
    });
    expect(repository.calls).toHaveLength(0);
  });

  it('cannot be asked to read without a tenant (a compile error, checked by tsc)', () => {
    const store = repository as unknown as AuditEventRepository;
    // @ts-expect-error the tenant is a required argument of its own
    const unscoped = () => store.findForTenant({ limit: 10 });
    expect(unscoped).toBeDefined();
  });
});

describe(clampLimit.name, () => {
  it.each([
    [undefined, 100],
    [Number.NaN, 100],
    [0, 1],
    [-5, 1],
    [2.7, 2],
    [1000, 1000],
    [5000, 1000],
  ])('limit %p → %p', (limit, expected) => {
    expect(clampLimit(limit)).toBe(expected);
  });
});
