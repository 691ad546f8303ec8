import { createHash } from 'node:crypto';
import {
  chainBody,
  chainBodyParts,
  chainHash,
  chainHashOfParts,
  ChainRecord,
  GENESIS_HASH,
} from './chain-record';

const record = (): ChainRecord => ({
  id: '0b9d5e0e-8a51-4e0f-9d5c-0d7f0f9b1a11',
  type: 'auth.login.succeeded',
  occurredAt: '2026-01-01T00:00:00.000Z',
  actor: { userId: '5f0e3b8e-1d2c-4f6a-9b7e-2a1c3d4e5f60', tenant: 'T001', ip: '203.0.113.7' },
  target: null,
  outcome: 'success',
  reasons: [],
  correlationId: 'c-1',
  tenants: ['T001'],
  userId: '5f0e3b8e-1d2c-4f6a-9b7e-2a1c3d4e5f60',
  receivedAt: '2026-01-01T00:00:01.000Z',
});

describe(chainHash.name, () => {
  it('is sha256 hex, stable, and independent of the key order of the actor', () => {
    const a = record();
    const b = { ...record(), actor: { ip: '203.0.113.7', tenant: 'T001', userId: a.actor.userId } };
    expect(chainHash(GENESIS_HASH, a)).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash(GENESIS_HASH, a)).toBe(chainHash(GENESIS_HASH, b));
  });

  it('changes with the previous hash (the link) and with every field of the record', () => {
    const base = chainHash(GENESIS_HASH, record());
    expect(chainHash('f'.repeat(64), record())).not.toBe(base);
    const changes: Partial<ChainRecord>[] = [
      { id: '0b9d5e0e-8a51-4e0f-9d5c-0d7f0f9b1a12' },
      { type: 'auth.login.failed' },
      { occurredAt: '2026-01-01T00:00:00.001Z' },
      { actor: { ...record().actor, ip: '203.0.113.8' } },
      { target: { type: 'user', id: 'x' } },
      { outcome: 'failure' },
      { reasons: ['r'] },
      { correlationId: 'c-2' },
      { tenants: ['T001', 'T002'] },
      { userId: null },
      { receivedAt: '2026-01-01T00:00:02.000Z' },
    ];
    for (const change of changes) {
      expect(chainHash(GENESIS_HASH, { ...record(), ...change })).not.toBe(base);
    }
  });
});

describe(chainHashOfParts.name, () => {
  it('gives chainHash exactly, the reception time spliced in after the parts were made', () => {
    const variants: ChainRecord[] = [
      record(),
      { ...record(), target: { type: 'case', id: 'C-1' }, reasons: ['a', 'b'], userId: null, actor: {} },
      { ...record(), correlationId: 'quote " \\ \u2028 日本語', tenants: [] },
    ];
    for (const full of variants) {
      const { receivedAt, ...rest } = full;
      expect(chainHashOfParts('a'.repeat(64), chainBodyParts(rest), receivedAt)).toBe(
        chainHash('a'.repeat(64), full),
      );
    }
  });
});

describe(chainBodyParts.name, () => {
  const sha = (prev: string, body: string) => createHash('sha256').update(prev).update(body).digest('hex');
  const pick = <T>(i: number, values: T[]): T => values[i % values.length];

  it('gives the canonical JSON of the whole record for every shape, the usual one written out or not', () => {
    for (let i = 0; i < 200; i++) {
      const full: ChainRecord = {
        ...record(),
        id: `0b9d5e0e-8a51-4e0f-9d5c-${String(i).padStart(12, '0')}`,
        actor: pick(i, [
          {},
          { tenant: 'T001' },
          { userAgent: 'Mozilla "5" \\ 日本語', ip: '::1', userId: 'u', tenant: 't' },
          { ip: '203.0.113.7', tenant: undefined },
          { tenant: 7 as unknown as string },
        ]),
        target: pick(i, [null, { type: 'case', id: 'C-1' }, { id: 'x', type: 'y', extra: 'z' } as never]),
        reasons: pick(i, [[], ['a'], ['b', '\u2028'], [1 as unknown as string]]),
        tenants: pick(i, [[], ['T001', 'T002']]),
        userId: pick(i, [null, 'u']),
        correlationId: pick(i, ['c', 'quote " \\ \u0001 日本語']),
      };
      const { receivedAt, ...rest } = full;
      const parts = chainBodyParts(rest);
      expect(`${parts.head}"receivedAt":${JSON.stringify(receivedAt)}${parts.tail}`).toBe(chainBody(full));
      expect(chainHash(GENESIS_HASH, full)).toBe(sha(GENESIS_HASH, chainBody(full)));
    }
  });
});
