import { randomBytes } from 'node:crypto';
import { Reflector } from '@nestjs/core';
import { apiKeyHash, ErrorCode, IntegrationKeyRecord } from '@app/contracts';
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
  const store = {
    find: async (prefix: string) => {
      asked.push(prefix);
      return records.get(prefix) ?? null;
    },
  } as unknown as IntegrationKeyStore;
  const sut = new ApiKeyGuard(new Reflector(), store);

  beforeEach(() => {
    records.clear();
    asked.length = 0;
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

  it("refuses a key without the route's scope with forbidden", async () => {
    const key = newKey();
    records.set('abcdefghijkl', recordOf(key, { scopes: ['mail-events:write', 'audit:read'] }));
    expect(await check(key)).toBe(ErrorCode.Forbidden);
  });
});
