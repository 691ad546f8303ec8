import { randomUUID } from 'node:crypto';
import { parseAuditEventPayload } from './audit-event-payload.schema';

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
