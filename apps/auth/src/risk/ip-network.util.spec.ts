import { ipNetwork } from './ip-network.util';

describe(ipNetwork.name, () => {
  it('puts IPv4 addresses of one /24 together and tells another /24 apart', () => {
    expect(ipNetwork('203.0.113.7')).toBe('203.0.113.0/24');
    expect(ipNetwork('203.0.113.250')).toBe('203.0.113.0/24');
    expect(ipNetwork('203.0.114.7')).toBe('203.0.114.0/24');
  });

  it('puts IPv6 addresses of one /48 together, whatever their notation', () => {
    expect(ipNetwork('2001:db8:85a3::8a2e:370:7334')).toBe('2001:db8:85a3::/48');
    expect(ipNetwork('2001:0DB8:85A3:0001:0000:0000:0000:0001')).toBe('2001:db8:85a3::/48');
    expect(ipNetwork('2001:db8:85a4::1')).toBe('2001:db8:85a4::/48');
    expect(ipNetwork('2001:db8::1')).toBe('2001:db8:0::/48');
    expect(ipNetwork('fe80::1%eth0')).toBe('fe80:0:0::/48');
    expect(ipNetwork('::1')).toBe('0:0:0::/48');
  });

  it('treats an IPv4-mapped IPv6 address as the IPv4 address it is', () => {
    expect(ipNetwork('::ffff:203.0.113.7')).toBe('203.0.113.0/24');
    expect(ipNetwork('::ffff:cb00:7107')).toBe('203.0.113.0/24');
  });

  it('gives nothing for a missing or malformed address', () => {
    expect(ipNetwork(undefined)).toBeNull();
    expect(ipNetwork('')).toBeNull();
    expect(ipNetwork('not-an-ip')).toBeNull();
    expect(ipNetwork('300.1.1.1')).toBeNull();
  });
});
