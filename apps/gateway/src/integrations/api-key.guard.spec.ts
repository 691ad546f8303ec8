import { randomBytes } from 'node:crypto';
import { Reflector } from '@nestjs/core';
import { apiKeyHash, ErrorCode, IntegrationKeyRecord } from '@app/contracts';
import { GatewayEnv } from '@app/config';
import { Counter, SlidingWindowLimiter } from '../rate-limit/sliding-window.limiter';
import { httpContext, refusal } from '../security/guard-test.util';
import { ApiKeyGuard, RequireScope } from './api-key.guard';
import { IntegrationKeyStore } from './integration-key.store';

class Alerts {
  @RequireScope('alerts:write')
  post(): void {}
}

function newKey(prefix = 'abcdefghijkl'): string {
  return `mmk_${prefix}_${randomBytes(32).toString('base64url')}`;
}

function recordOf(key: string, overrides: Partial<IntegrationKeyRecord> = {}): IntegrationKeyRecord {
  return {
    id: '3f1c2a52-8a4e-4a57-9a0e-2f0b7c1d9e11',
    name: 'EDR',
    prefix: key.split('_')[1],
    keyHash: apiKeyHash(key),
    scopes: ['alerts:write'],
    tenants: ['N202400003'],
    revoked: false,
    ...overrides,
  };
}

describe(ApiKeyGuard.name, () => {
  const records = new Map<string, IntegrationKeyRecord>();
  const asked: string[] = [];
  // As the store does: a prefix it does not hold is asked of the case service, after `beforeAsking`.
  const store = {
    find: async (prefix: string, beforeAsking: () => Promise<void>) => {
      asked.push(prefix);
      if (!records.has(prefix)) {
        await beforeAsking();
      }
      return records.get(prefix) ?? null;
    },
  } as unknown as IntegrationKeyStore;
  let lookupsLeft = Infinity;
  const consumed: Counter[][] = [];
  const limiter = {
    consume: async (counters: Counter[]) => {
      consumed.push(counters);
      lookupsLeft -= 1;
      return { allowed: lookupsLeft >= 0, limit: 60, remaining: 0, resetSeconds: 7, scope: 'address' };
    },
  } as unknown as SlidingWindowLimiter;
  const sut = new ApiKeyGuard(new Reflector(), store, limiter, {
    RATE_LIMIT_CREDENTIAL_ADDRESS_PER_MINUTE: 60,
  } as GatewayEnv);

  beforeEach(() => {
    records.clear();
    asked.length = 0;
    consumed.length = 0;
    lookupsLeft = Infinity;
  });

  const check = (apiKey: unknown, req: Record<string, unknown> = {}) => {
    req.headers = { 'x-api-key': apiKey };
    return refusal(() => sut.canActivate(httpContext(Alerts, 'post', req)));
  };

  it('lets a known key with the scope through and puts its record on the request', async () => {
    const key = newKey();
    records.set('abcdefghijkl', recordOf(key));
    const req: Record<string, unknown> = {};
    expect(await check(key, req)).toBeUndefined();
    expect(req.integration).toEqual(recordOf(key));
  });

  it('refuses a missing, malformed, unknown, wrong or revoked key alike with unauthorized', async () => {
    const key = newKey();
    records.set('abcdefghijkl', recordOf(key));
    const wrong = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    for (const presented of [
      undefined,
      '',
      'x'.repeat(4000),
      ['a', 'b'],
      `${key}x`,
      newKey('zzzzzzzzzzzz'),
      wrong,
    ]) {
      expect([presented, await check(presented)]).toEqual([presented, ErrorCode.Unauthorized]);
    }
    // Malformed keys never reach the store.
    expect(asked).toEqual(['zzzzzzzzzzzz', 'abcdefghijkl']);
    records.set('abcdefghijkl', recordOf(key, { revoked: true }));
    expect(await check(key)).toBe(ErrorCode.Unauthorized);
    // A record whose hash is not a SHA-256 (a revocation marker) never matches.
    records.set('abcdefghijkl', recordOf(key, { keyHash: '' }));
    expect(await check(key)).toBe(ErrorCode.Unauthorized);
  });

  it('counts keys it must ask the case service about per client address, and refuses past the limit', async () => {
    const key = newKey();
    records.set('abcdefghijkl', recordOf(key));
    expect(await check(key, { ip: '203.0.113.9' })).toBeUndefined();
    expect(consumed).toEqual([]);
    lookupsLeft = 2;
    expect(await check(newKey('bbbbbbbbbbbb'), { ip: '203.0.113.9' })).toBe(ErrorCode.Unauthorized);
    expect(await check(newKey('cccccccccccc'), { ip: '203.0.113.9' })).toBe(ErrorCode.Unauthorized);
    expect(await check(newKey('dddddddddddd'), { ip: '203.0.113.9' })).toBe(ErrorCode.RateLimited);
    expect(consumed.map((c) => c[0].key)).toEqual(Array(3).fill('integration:lookup:address:203.0.113.9'));
    // A key the gateway holds still passes.
    expect(await check(key, { ip: '203.0.113.9' })).toBeUndefined();
  });

  it("refuses a key without the route's scope with forbidden", async () => {
    const key = newKey();
    records.set('abcdefghijkl', recordOf(key, { scopes: ['mail-events:write', 'audit:read'] }));
    expect(await check(key)).toBe(ErrorCode.Forbidden);
  });
});
