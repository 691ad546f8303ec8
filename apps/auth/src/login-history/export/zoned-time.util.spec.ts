import { compactStamp, DEFAULT_TIME_ZONE, formatInZone, knownTimeZone } from './zoned-time.util';

describe('formatInZone', () => {
  it.each([
    ['2025-04-01T00:30:15.999Z', 'Asia/Tokyo', '2025-04-01T09:30:15+09:00'],
    ['2025-03-31T15:00:00.000Z', 'Asia/Tokyo', '2025-04-01T00:00:00+09:00'],
    ['2025-04-01T00:30:15.000Z', 'UTC', '2025-04-01T00:30:15+00:00'],
    ['2025-01-15T12:00:00.000Z', 'America/New_York', '2025-01-15T07:00:00-05:00'],
    // Summer time: the offset follows the instant.
    ['2025-07-15T12:00:00.000Z', 'America/New_York', '2025-07-15T08:00:00-04:00'],
    ['2025-04-01T00:00:00.000Z', 'Asia/Kolkata', '2025-04-01T05:30:00+05:30'],
    ['2025-04-01T00:00:00.000Z', 'America/St_Johns', '2025-03-31T21:30:00-02:30'],
  ])('%s in %s is %s', (iso, zone, expected) => {
    const text = formatInZone(new Date(iso), zone);
    expect(text).toBe(expected);
    // The same instant, to the second.
    expect(Date.parse(text)).toBe(Math.floor(Date.parse(iso) / 1000) * 1000);
  });

  it('names a file by local date and minute', () => {
    expect(compactStamp(new Date('2025-03-31T15:04:00Z'), 'Asia/Tokyo')).toBe('20250401-0004');
  });
});

describe('knownTimeZone', () => {
  it('keeps a zone the runtime knows and falls back to Asia/Tokyo otherwise', () => {
    expect(knownTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(knownTimeZone('Mars/Olympus')).toBe(DEFAULT_TIME_ZONE);
    expect(knownTimeZone('')).toBe(DEFAULT_TIME_ZONE);
    expect(knownTimeZone(null)).toBe(DEFAULT_TIME_ZONE);
  });
});
