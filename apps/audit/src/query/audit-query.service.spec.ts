import { randomUUID } from 'node:crypto';
import { ErrorCode, Principal } from '@app/contracts';
import { AuditCursorCodec, CursorPosition } from './audit-cursor';
import { AuditEventQueryRepository, AuditQueryFilter, AuditQueryRow } from './audit-event-query.repository';
import { AuditQueryService, clampLimit, PAGE_BYTE_BUDGET } from './audit-query.service';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';

class FakeRepository {
  readonly calls: { tenant: string; filter: AuditQueryFilter; after?: CursorPosition; limit: number }[] = [];
  rows: AuditQueryRow[] = [];

  async page(
    tenant: string,
    filter: AuditQueryFilter,
    after: CursorPosition | undefined,
    limit: number,
  ): Promise<AuditQueryRow[]> {
    this.calls.push({ tenant, filter, after, limit });
    return this.rows.slice(0, limit);
  }
}

const principal = (tenant: string | null, role: Principal['role'] = 'admin'): Principal => ({
  id: randomUUID(),
  sessionId: randomUUID(),
  tenant,
  role,
  secondFactorAt: null,
});

function row(i: number): AuditQueryRow {
  const id = randomUUID();
  return {
    seq: String(i),
    id,
    type: 'auth.login.succeeded',
    occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 100 - i)),
    actor: { tenant: 'T001' },
    target: null,
    outcome: 'success',
    reasons: [],
    correlationId: 'c',
    tenants: ['T001'],
    hash: 'h',
    position: { time: new Date(Date.UTC(2026, 0, 1) - i * 1000).toISOString().replace('Z', '456Z'), id },
  };
}

describe(AuditQueryService.name, () => {
  let repository: FakeRepository;
  let sut: AuditQueryService;

  beforeEach(() => {
    repository = new FakeRepository();
    sut = new AuditQueryService(repository as unknown as AuditEventQueryRepository, {
      AUDIT_SIGNING_KEY: SECRET,
    });
  });

  it('always asks the store for the one tenant, with the filters as types it understands', async () => {
    const userId = randomUUID();
    await sut.query(
      {
        tenant: 'T001',
        type: 'auth.login.*',
        userId: userId.toUpperCase(),
        outcome: 'failure',
        from: '2026-01-01T00:00:00+09:00',
      },
      principal('T001'),
    );
    expect(repository.calls).toEqual([
      {
        tenant: 'T001',
        filter: {
          typePrefix: 'auth.login.',
          userId,
          outcome: 'failure',
          from: new Date('2025-12-31T15:00:00.000Z'),
          to: undefined,
        },
        after: undefined,
        limit: 101,
      },
    ]);
  });

  it('maps a stored row to the view, with seq as a number and no empty target', async () => {
    const stored = row(12);
    repository.rows = [stored];
    await expect(sut.query({ tenant: 'T001' }, principal('T001'))).resolves.toEqual({
      items: [
        {
          seq: 12,
          hash: 'h',
          id: stored.id,
          type: 'auth.login.succeeded',
          occurredAt: stored.occurredAt.toISOString(),
          actor: { tenant: 'T001' },
          outcome: 'success',
          reasons: [],
          correlationId: 'c',
          tenants: ['T001'],
        },
      ],
      nextCursor: null,
    });
  });

  it('gives a cursor after a full page, and starts the next page after its last event', async () => {
    repository.rows = [row(1), row(2), row(3)];
    const first = await sut.query({ tenant: 'T001', limit: 2 }, principal('T001'));
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    await sut.query({ tenant: 'T001', limit: 2, cursor: first.nextCursor! }, principal('T001'));
    expect(repository.calls[1].after).toEqual(repository.rows[1].position);
  });

  it('cuts a page of large events short so that it fits one NATS message, with a cursor after it', async () => {
    repository.rows = Array.from({ length: 500 }, (_, i) => ({
      ...row(i),
      actor: { tenant: 'T001', userAgent: '長'.repeat(1024) },
      reasons: Array.from({ length: 50 }, () => 'r'.repeat(100)),
    }));
    const page = await sut.query({ tenant: 'T001', limit: 500 }, principal('T001'));
    expect(page.items.length).toBeGreaterThan(10);
    expect(page.items.length).toBeLessThan(500);
    expect(Buffer.byteLength(JSON.stringify(page))).toBeLessThan(PAGE_BYTE_BUDGET + 16 * 1024);
    await sut.query({ tenant: 'T001', limit: 500, cursor: page.nextCursor! }, principal('T001'));
    expect(repository.calls[1].after).toEqual(repository.rows[page.items.length - 1].position);
  });

  it.each([
    ['garbage', () => 'not-a-cursor'],
    [
      'a changed position',
      (c: string) =>
        `${Buffer.from('{"t":"2030-01-01T00:00:00.000000Z","i":"x"}').toString('base64url')}.${c.split('.')[1]}`,
    ],
    ['a changed signature', (c: string) => `${c.slice(0, -2)}AA`],
    [
      'a cursor signed with another key',
      () =>
        new AuditCursorCodec('another-secret-of-thirty-two-characters!').encode(
          { time: '2026-01-01T00:00:00.000000Z', id: randomUUID() },
          JSON.stringify(['T001', null, null, null, null, null]),
        ),
    ],
  ])('refuses %s as validation_failed on cursor', async (_name, forge) => {
    repository.rows = [row(1), row(2)];
    const { nextCursor } = await sut.query({ tenant: 'T001', limit: 1 }, principal('T001'));
    await expect(
      sut.query({ tenant: 'T001', limit: 1, cursor: forge(nextCursor!) }, principal('T001')),
    ).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
      details: { fields: { cursor: expect.any(Array) } },
    });
  });

  it('refuses a cursor of other filters or another tenant', async () => {
    repository.rows = [row(1), row(2)];
    const { nextCursor } = await sut.query({ tenant: 'T001', limit: 1 }, principal('T001'));
    const cursor = nextCursor!;
    await expect(
      sut.query({ tenant: 'T001', limit: 1, cursor, outcome: 'failure' }, principal('T001')),
    ).rejects.toMatchObject({ code: ErrorCode.ValidationFailed });
    await expect(
      sut.query({ tenant: 'T002', limit: 1, cursor }, principal(null, 'operator')),
    ).rejects.toMatchObject({ code: ErrorCode.ValidationFailed });
    // The page size may change between pages.
    await expect(sut.query({ tenant: 'T001', limit: 5, cursor }, principal('T001'))).resolves.toBeDefined();
  });

  it("shows a tenant admin only their tenant's number; an operator the fact as stored", async () => {
    const row: AuditQueryRow = {
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
      hash: 'h',
      position: { time: '2026-01-01T00:00:00.000456Z', id: randomUUID() },
    };
    repository.rows = [row];
    const [seen] = (await sut.query({ tenant: 'T001' }, principal('T001'))).items;
    expect(seen.tenants).toEqual(['T001']);
    expect(seen.actor).toEqual({ userId: row.actor?.userId, ip: '198.51.100.7' });
    expect(JSON.stringify(seen)).not.toContain('T002');
    const [asStored] = (await sut.query({ tenant: 'T001' }, principal(null, 'operator'))).items;
    expect(asStored).toMatchObject({ actor: row.actor, tenants: ['T001', 'T002'] });
  });

  it.each([
    ['an empty tenant', { tenant: '' }],
    ['a user id that is no uuid', { tenant: 'T001', userId: 'admin01' }],
    ['a from that is no time', { tenant: 'T001', from: 'yesterday' }],
    ['an unknown outcome', { tenant: 'T001', outcome: 'maybe' as never }],
    ['a type with capitals', { tenant: 'T001', type: 'Auth.Login' }],
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
    await expect(sut.query({ tenant: 'T002' }, principal(null, 'operator'))).resolves.toEqual({
      items: [],
      nextCursor: null,
    });
    await expect(sut.query({ tenant: 'T001' }, principal('T001'))).resolves.toBeDefined();
  });

  it('refuses a caller without a principal and a tenant user who is not an admin', async () => {
    await expect(sut.query({ tenant: 'T001' })).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    await expect(sut.query({ tenant: 'T001' }, principal('T001', 'user'))).rejects.toMatchObject({
      code: ErrorCode.Forbidden,
    });
    expect(repository.calls).toHaveLength(0);
  });

  it('cannot be asked to read without a tenant (a compile error, checked by tsc)', () => {
    const store = repository as unknown as AuditEventQueryRepository;
    // @ts-expect-error the tenant is a required argument of its own
    const unscoped = () => store.page({}, undefined, 10);
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
    [500, 500],
    [5000, 500],
  ])('limit %p → %p', (limit, expected) => {
    expect(clampLimit(limit)).toBe(expected);
  });
});
