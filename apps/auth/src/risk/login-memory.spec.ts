import { MockOf, newTestService } from '@app/testing';
import { SecretHasher } from '../crypto/secret-hasher';
import { deviceKey } from './device-key.util';
import { ipNetwork } from './ip-network.util';
import { FINGERPRINT_MEMORY_MS, FOLD_BATCH, FOLD_OVERLAP_MS, LoginMemory } from './login-memory';
import { LoginMemoryRepository } from './login-memory.repository';

describe(LoginMemory.name, () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
  const login = { ip: '192.0.2.10', userAgent: firefox, now };
  const hmac = (kind: string, value: string | null) => `${kind}:${value}`;
  let sut: LoginMemory;
  let rows: MockOf<LoginMemoryRepository>;

  beforeEach(async () => {
    const t = await newTestService(LoginMemory);
    sut = t.sut;
    rows = t.mock(LoginMemoryRepository);
    rows.sessionsToFold.mockResolvedValue([]);
    rows.recall.mockResolvedValue({
      has_history: true,
      device_known: true,
      network_known: false,
      recent_failures: null,
      last_ip: '192.0.2.9',
      last_at: new Date('2025-12-31T00:00:00Z'),
    });
    // Bound to the user and the kind, as the real HMAC is.
    t.mock(SecretHasher).hmac.mockImplementation((value, context) =>
      hmac((context ?? '').split(':')[1], value),
    );
  });

  it('folds the sessions since the newest fingerprint, then reads the memory in one round trip', async () => {
    const snapshot = await sut.recall('u1', 'alice', login);
    expect(rows.sessionsToFold).toHaveBeenCalledWith('u1', FOLD_OVERLAP_MS, FOLD_BATCH);
    expect(rows.recall).toHaveBeenCalledWith(
      'u1',
      'alice',
      hmac('device', deviceKey(firefox)),
      hmac('network', ipNetwork('192.0.2.10')),
      new Date(now.getTime() - FINGERPRINT_MEMORY_MS),
    );
    expect(snapshot).toEqual({
      hasHistory: true,
      deviceKnown: true,
      networkKnown: false,
      lastLogin: { ip: '192.0.2.9', at: new Date('2025-12-31T00:00:00Z') },
      recentFailures: 0,
    });
  });

  it('knows nothing of a device or network the login does not show', async () => {
    const snapshot = await sut.recall('u1', 'alice', { ip: null, userAgent: null, now });
    expect(snapshot.deviceKnown).toBeNull();
    expect(snapshot.networkKnown).toBeNull();
  });

  it('upserts one fingerprint per device and network, first and last seen, in a fixed order', async () => {
    const early = new Date('2025-12-01T00:00:00Z');
    const late = new Date('2025-12-02T00:00:00Z');
    rows.sessionsToFold.mockResolvedValue([
      { ip: '192.0.2.10', user_agent: firefox, created_at: late },
      { ip: '192.0.2.11', user_agent: firefox, created_at: early },
    ]);
    await sut.fold('u1');
    const [userId, prints] = rows.upsert.mock.calls[0];
    expect(userId).toBe('u1');
    expect(prints).toHaveLength(2);
    const sorted = [...prints].sort((a, b) =>
      `${a.kind}${a.valueHmac}`.localeCompare(`${b.kind}${b.valueHmac}`),
    );
    expect(prints).toEqual(sorted);
    expect(prints).toContainEqual({
      kind: 'device',
      valueHmac: hmac('device', deviceKey(firefox)),
      firstSeen: early,
      lastSeen: late,
    });
  });

  it('spends no round trip when there is nothing to fold', async () => {
    await sut.fold('u1');
    expect(rows.upsert).not.toHaveBeenCalled();
  });

  it('counts what the password step preloaded, plus the sessions it folds now', async () => {
    const snapshot = await sut.recall('u1', 'alice', login, {
      hasHistory: false,
      recentPrints: [],
      sessionsToFold: [{ ip: '192.0.2.10', user_agent: null, created_at: now }],
      lastLogin: null,
      recentFailures: 3,
    });
    expect(rows.recall).not.toHaveBeenCalled();
    expect(rows.upsert).toHaveBeenCalledTimes(1);
    expect(snapshot).toEqual({
      hasHistory: true,
      deviceKnown: false,
      networkKnown: true,
      lastLogin: null,
      recentFailures: 3,
    });
  });
});
