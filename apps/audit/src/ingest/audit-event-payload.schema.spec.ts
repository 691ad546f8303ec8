import { randomUUID } from 'node:crypto';
import {
  acceptedByPlainChecks,
  parseAuditEventPayload,
  parseWithSchemaOnly,
} from './audit-event-payload.schema';

const bytes = (value: unknown) =>
  new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

const valid = () => ({
  id: randomUUID(),
  type: 'auth.login.succeeded',
  occurredAt: '2026-01-01T09:00:00.123+09:00',
  actor: { userId: randomUUID(), tenant: 'T001', ip: '203.0.113.7', userAgent: 'Mozilla/5.0' },
  outcome: 'success',
  correlationId: randomUUID(),
});

describe(parseAuditEventPayload.name, () => {
  it('normalises a valid event: UTC milliseconds, lower-case uuids, the actor tenant among the tenants', () => {
    const input = { ...valid(), id: randomUUID().toUpperCase(), tenants: ['T002'] };
    const sut = parseAuditEventPayload(bytes(input));
    expect(sut).toEqual({
      ok: true,
      registeredType: true,
      event: {
        id: input.id.toLowerCase(),
        type: 'auth.login.succeeded',
        occurredAt: '2026-01-01T00:00:00.123Z',
        actor: input.actor,
        target: null,
        outcome: 'success',
        reasons: [],
        correlationId: input.correlationId,
        tenants: ['T001', 'T002'],
        userId: input.actor.userId,
      },
    });
  });

  it('drops fields the contract does not know, so a secret sent by mistake is not stored', () => {
    const sut = parseAuditEventPayload(bytes({ ...valid(), password: 'hunter2', actor: { code: '123456' } }));
    expect(sut.ok && sut.event.actor).toEqual({});
    expect(JSON.stringify(sut)).not.toMatch(/hunter2|123456/);
  });

  it('accepts a well-formed type the contracts do not list yet, and says so', () => {
    const sut = parseAuditEventPayload(bytes({ ...valid(), type: 'case.case.created' }));
    expect(sut).toMatchObject({ ok: true, registeredType: false });
  });

  it.each([
    ['not JSON', 'nope'],
    ['not UTF-8 JSON', new Uint8Array([0xff, 0xfe, 0x00])],
    ['a JSON array', []],
    ['no id', { ...valid(), id: undefined }],
    ['an id that is no uuid', { ...valid(), id: 'not-a-uuid' }],
    ['an unknown outcome', { ...valid(), outcome: 'maybe' }],
    ['a user id that is no uuid', { ...valid(), actor: { userId: 'someone' } }],
    ['a time that is no ISO time', { ...valid(), occurredAt: 'yesterday' }],
    ['a NUL character', { ...valid(), correlationId: 'a\u0000b' }],
    ['a type that is no dotted name', { ...valid(), type: 'DROP TABLE' }],
    ['too many reasons', { ...valid(), reasons: Array.from({ length: 51 }, () => 'r') }],
  ])('rejects %s, naming where without repeating the content', (_name, input) => {
    const sut = parseAuditEventPayload(input instanceof Uint8Array ? input : bytes(input));
    expect(sut.ok).toBe(false);
    const problems = sut.ok ? [] : sut.problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join(' ')).not.toMatch(/someone|maybe|yesterday|not-a-uuid|DROP/);
  });
});

describe('the hot path of parseAuditEventPayload', () => {
  const base = {
    ...valid(),
    reasons: ['bad_password'],
    tenants: ['T002'],
    target: { type: 'case', id: 'C-1' },
  };
  /** One change each, at every rule's edge: what the schema accepts and what it refuses. */
  const variants: Record<string, unknown>[] = [
    base,
    { ...base, id: base.id.toUpperCase() },
    { ...base, id: `${base.id}x` },
    { ...base, id: 42 },
    { ...base, type: 'a.b' },
    { ...base, type: `a.${'b'.repeat(98)}` },
    { ...base, type: `a.${'b'.repeat(99)}` },
    { ...base, type: 'a.b.c.d.e.f.g' },
    { ...base, type: 'A.b' },
    { ...base, occurredAt: '2026-02-29T00:00:00Z' },
    { ...base, occurredAt: '2028-02-29T23:59:59.123456+14:00' },
    { ...base, occurredAt: '2026-01-01T24:00:00Z' },
    { ...base, occurredAt: '2026-01-01T00:00Z' },
    { ...base, occurredAt: '2026-01-01T00:00:00' },
    { ...base, actor: {} },
    { ...base, actor: [] },
    { ...base, actor: null },
    { ...base, actor: { userId: null } },
    { ...base, actor: { userId: 'NOT' } },
    { ...base, actor: { tenant: '' } },
    { ...base, actor: { tenant: 'x'.repeat(64) } },
    { ...base, actor: { tenant: 'x'.repeat(65) } },
    { ...base, actor: { ip: 'a\u0000' } },
    { ...base, actor: { userAgent: 'u'.repeat(1024) } },
    { ...base, actor: { userAgent: 'u'.repeat(1025) } },
    { ...base, actor: { ip: 7 } },
    { ...base, target: null },
    { ...base, target: undefined },
    { ...base, target: { type: 'case' } },
    { ...base, target: { type: 'case', id: 'i'.repeat(257) } },
    { ...base, target: { type: '', id: '', more: 1 } },
    { ...base, target: [] },
    { ...base, outcome: 'denied' },
    { ...base, outcome: 'Success' },
    { ...base, reasons: [] },
    { ...base, reasons: [''] },
    { ...base, reasons: ['r'.repeat(101)] },
    { ...base, reasons: Array.from({ length: 50 }, () => 'r') },
    { ...base, reasons: 'r' },
    { ...base, reasons: null },
    { ...base, correlationId: '' },
    { ...base, correlationId: 'c'.repeat(200) },
    { ...base, correlationId: 'c'.repeat(201) },
    { ...base, tenants: [] },
    { ...base, tenants: [''] },
    { ...base, tenants: Array.from({ length: 101 }, (_, i) => `T${i}`) },
    { ...base, tenants: ['T001', 'T001'] },
    { ...base, unknown: { password: 'x' } },
  ];

  it.each(variants.map((v, i) => [i, v]))(
    'variant %i: accepted by the plain checks only where the schema accepts it, with the same result',
    (_i, input) => {
      const plain = acceptedByPlainChecks(JSON.parse(JSON.stringify(input)));
      const schema = parseWithSchemaOnly(JSON.parse(JSON.stringify(input)));
      const result = parseAuditEventPayload(bytes(input));
      if (plain) {
        expect(schema.ok).toBe(true);
      }
      expect(result.ok).toBe(schema.ok);
      if (result.ok) {
        expect(result).toEqual(schema);
      }
    },
  );

  it('takes the plain checks for the usual event (the schema is the slow path)', () => {
    expect(acceptedByPlainChecks(base)).toBe(true);
  });
});
