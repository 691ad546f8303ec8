import { MAX_TRUSTED_BROWSER_TTL_SECONDS, trustedBrowserTtlSeconds } from './trusted-browser-ttl.util';

describe(trustedBrowserTtlSeconds.name, () => {
  const eightHours = 8 * 3600;
  const days = (n: number) => n * 86_400;

  it('is the default without tenants or without any tenant setting', () => {
    expect(trustedBrowserTtlSeconds(eightHours, [])).toBe(eightHours);
    expect(trustedBrowserTtlSeconds(eightHours, [null])).toBe(eightHours);
  });

  it('is what the tenant allows', () => {
    expect(trustedBrowserTtlSeconds(eightHours, [days(30)])).toBe(days(30));
  });

  it('is the most restrictive of several tenants, a tenant without a setting counting as the default', () => {
    expect(trustedBrowserTtlSeconds(eightHours, [days(30), days(7)])).toBe(days(7));
    expect(trustedBrowserTtlSeconds(eightHours, [days(30), null])).toBe(eightHours);
  });

  it('never exceeds 90 days, whatever the configuration says', () => {
    expect(trustedBrowserTtlSeconds(days(365), [])).toBe(MAX_TRUSTED_BROWSER_TTL_SECONDS);
    expect(MAX_TRUSTED_BROWSER_TTL_SECONDS).toBe(days(90));
  });
});
