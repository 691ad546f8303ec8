import { deviceKey } from './device-key.util';

describe(deviceKey.name, () => {
  const chrome = (version: string) =>
    `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${version} Safari/537.36`;

  it('keeps the same device across browser updates', () => {
    expect(deviceKey(chrome('120.0.6099.109'))).toBe(deviceKey(chrome('121.0.6167.85')));
  });

  it('tells another browser or platform apart', () => {
    const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0';
    expect(deviceKey(firefox)).not.toBe(deviceKey(chrome('121.0.6167.85')));
  });

  it('gives nothing without a user agent', () => {
    expect(deviceKey(undefined)).toBeNull();
    expect(deviceKey('   ')).toBeNull();
  });
});
