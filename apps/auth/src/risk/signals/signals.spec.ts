import { User } from '../../users/user.entity';
import { LoginAccount } from '../../users/login-account';
import { GeoLocation, GeoLocator, GeoPoint } from '../geo-location';
import { LoginMemorySnapshot, RiskInput } from '../risk-signal';
import { ImpossibleTravelSignal, IMPOSSIBLE_TRAVEL_WEIGHT } from './impossible-travel.signal';
import { NewDeviceSignal } from './new-device.signal';
import { NewNetworkSignal } from './new-network.signal';
import { RecentFailuresSignal } from './recent-failures.signal';
import {
  DEFAULT_UNUSUAL_HOURS,
  localHour,
  parseUnusualHours,
  UnusualHourSignal,
} from './unusual-hour.signal';

const NOW = new Date('2026-03-02T03:00:00Z'); // 12:00 in Tokyo

function input(memory: Partial<LoginMemorySnapshot> = {}, over: Partial<RiskInput> = {}): RiskInput {
  const account: LoginAccount = { user: { id: 'u1', timezone: 'Asia/Tokyo' } as User, memberships: [] };
  return {
    account,
    ip: '203.0.113.9',
    userAgent: 'Firefox',
    now: NOW,
    memory: {
      hasHistory: true,
      deviceKnown: true,
      networkKnown: true,
      lastLogin: null,
      recentFailures: 0,
      ...memory,
    },
    ...over,
  };
}

describe(NewDeviceSignal.name, () => {
  const sut = new NewDeviceSignal();

  it('fires for a device never seen by a user with history', async () => {
    expect(await sut.evaluate(input({ deviceKnown: false }))).toEqual({ reason: 'new_device', weight: 2 });
  });

  it('stays silent for a known device, a login without user agent, and a user without history', async () => {
    expect(await sut.evaluate(input({ deviceKnown: true }))).toBeNull();
    expect(await sut.evaluate(input({ deviceKnown: null }))).toBeNull();
    expect(await sut.evaluate(input({ hasHistory: false, deviceKnown: false }))).toBeNull();
  });
});

describe(NewNetworkSignal.name, () => {
  const sut = new NewNetworkSignal();

  it('fires for a network never seen by a user with history', async () => {
    expect(await sut.evaluate(input({ networkKnown: false }))).toEqual({ reason: 'new_network', weight: 1 });
  });

  it('stays silent for a known network, no address, and a user without history', async () => {
    expect(await sut.evaluate(input({ networkKnown: true }))).toBeNull();
    expect(await sut.evaluate(input({ networkKnown: null }))).toBeNull();
    expect(await sut.evaluate(input({ hasHistory: false, networkKnown: false }))).toBeNull();
  });
});

describe(RecentFailuresSignal.name, () => {
  const sut = new RecentFailuresSignal();

  it('fires from 3 wrong passwords before the right one, also without history', async () => {
    expect(await sut.evaluate(input({ recentFailures: 2 }))).toBeNull();
    expect(await sut.evaluate(input({ recentFailures: 3 }))).toEqual({
      reason: 'recent_failures',
      weight: 3,
    });
    expect(await sut.evaluate(input({ hasHistory: false, recentFailures: 4 }))).not.toBeNull();
  });
});

describe(UnusualHourSignal.name, () => {
  const at = (iso: string) => input({}, { now: new Date(iso) });

  it('fires between midnight and 5 a.m. in the user’s time zone', async () => {
    const sut = new UnusualHourSignal();
    expect(await sut.evaluate(at('2026-03-01T15:00:00Z'))).toEqual({ reason: 'unusual_hour', weight: 1 }); // 00:00 JST
    expect(await sut.evaluate(at('2026-03-01T19:59:00Z'))).not.toBeNull(); // 04:59 JST
    expect(await sut.evaluate(at('2026-03-01T20:00:00Z'))).toBeNull(); // 05:00 JST
    expect(await sut.evaluate(at('2026-03-01T14:59:00Z'))).toBeNull(); // 23:59 JST
  });

  it('reads the hour in the user’s own zone', async () => {
    const sut = new UnusualHourSignal();
    const london = input({}, { now: new Date('2026-03-02T02:00:00Z') });
    london.account.user.timezone = 'Europe/London';
    expect(await sut.evaluate(london)).not.toBeNull();
    london.account.user.timezone = 'Asia/Tokyo'; // 11:00 there
    expect(await sut.evaluate(london)).toBeNull();
  });

  it('takes other hours, also across midnight', async () => {
    const sut = new UnusualHourSignal({ from: 22, to: 6 });
    expect(await sut.evaluate(at('2026-03-01T13:30:00Z'))).not.toBeNull(); // 22:30 JST
    expect(await sut.evaluate(at('2026-03-01T20:30:00Z'))).not.toBeNull(); // 05:30 JST
    expect(await sut.evaluate(at('2026-03-01T21:00:00Z'))).toBeNull(); // 06:00 JST
  });

  it('stays silent at every hour when the deployment turns it off', async () => {
    const sut = new UnusualHourSignal(parseUnusualHours('off'));
    expect(await sut.evaluate(at('2026-03-01T15:00:00Z'))).toBeNull(); // 00:00 JST
    expect(await sut.evaluate(at('2026-03-01T19:59:00Z'))).toBeNull(); // 04:59 JST
  });

  it('reads its hours from the setting', () => {
    expect(parseUnusualHours('0-5')).toEqual(DEFAULT_UNUSUAL_HOURS);
    expect(parseUnusualHours('22-6')).toEqual({ from: 22, to: 6 });
    expect(parseUnusualHours('off')).toBeNull();
  });

  it('stays silent for a zone the runtime does not know', async () => {
    expect(localHour(NOW, 'Not/AZone')).toBeNull();
    const unknown = at('2026-03-01T16:00:00Z');
    unknown.account.user.timezone = 'Not/AZone';
    expect(await new UnusualHourSignal().evaluate(unknown)).toBeNull();
  });
});

describe(ImpossibleTravelSignal.name, () => {
  const TOKYO: GeoPoint = { latitude: 35.68, longitude: 139.69 };
  const OSAKA: GeoPoint = { latitude: 34.69, longitude: 135.5 };
  const SAO_PAULO: GeoPoint = { latitude: -23.55, longitude: -46.63 };
  /** A stand-in for a geo database: a few documentation addresses at known places. */
  class TestLocator implements GeoLocator {
    async locate(ip: string): Promise<GeoPoint | null> {
      return (
        ({ '192.0.2.1': TOKYO, '192.0.2.2': OSAKA, '198.51.100.1': SAO_PAULO } as Record<string, GeoPoint>)[
          ip
        ] ?? null
      );
    }
  }
  const withLocator = () => {
    const geo = new GeoLocation();
    geo.use(new TestLocator());
    return new ImpossibleTravelSignal(geo);
  };
  const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

  it('fires when the last login was too far away to have travelled since', async () => {
    const finding = await withLocator().evaluate(
      input({ lastLogin: { ip: '192.0.2.1', at: hoursAgo(2) } }, { ip: '198.51.100.1' }),
    );
    expect(finding).toEqual({ reason: 'impossible_travel', weight: IMPOSSIBLE_TRAVEL_WEIGHT });
  });

  it('stays silent when the journey was possible in the time, or the distance is within geo-IP noise', async () => {
    // Tokyo → São Paulo is about 18,500 km: possible in a day and a half by air.
    expect(
      await withLocator().evaluate(
        input({ lastLogin: { ip: '192.0.2.1', at: hoursAgo(36) } }, { ip: '198.51.100.1' }),
      ),
    ).toBeNull();
    // Tokyo → Osaka (about 400 km) at once: too close to tell from geo-IP.
    expect(
      await withLocator().evaluate(
        input({ lastLogin: { ip: '192.0.2.1', at: hoursAgo(0) } }, { ip: '192.0.2.2' }),
      ),
    ).toBeNull();
  });

  it('stays silent without a previous login, or when an address is not in the database', async () => {
    expect(await withLocator().evaluate(input({ lastLogin: null }, { ip: '198.51.100.1' }))).toBeNull();
    expect(
      await withLocator().evaluate(
        input({ lastLogin: { ip: '192.0.2.1', at: hoursAgo(1) } }, { ip: '203.0.113.1' }),
      ),
    ).toBeNull();
  });

  it('finds nothing with the default locator, which knows no place', async () => {
    const sut = new ImpossibleTravelSignal(new GeoLocation());
    expect(
      await sut.evaluate(input({ lastLogin: { ip: '192.0.2.1', at: hoursAgo(1) } }, { ip: '198.51.100.1' })),
    ).toBeNull();
  });
});
