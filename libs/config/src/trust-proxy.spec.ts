import { gatewayEnvSchema } from './env-schemas';
import { ConfigError, loadConfig } from './load-config';
import { parseTrustProxy } from './trust-proxy';

describe(parseTrustProxy.name, () => {
  it('takes a hop count, or a list of addresses, CIDR ranges and range names', () => {
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('0')).toBe(0);
    expect(parseTrustProxy('loopback')).toEqual(['loopback']);
    expect(parseTrustProxy('10.0.0.0/8, 192.168.1.7,fd00::/8 , uniquelocal')).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
      'uniquelocal',
    ]);
  });

  it.each([
    '',
    'true',
    '*',
    'all',
    '33',
    '-1',
    '1.5',
    '0.0.0.0/0',
    '::/0',
    '10.0.0.0/33',
    '10.0.0.1/x',
    'proxy.local',
    '10.0.0.1,',
  ])('refuses %p', (value) => {
    expect(parseTrustProxy(value)).toBeUndefined();
  });

  it('makes the gateway refuse to start with a clear message', () => {
    const env = { TRUST_PROXY: 'true' };
    expect(() => loadConfig(gatewayEnvSchema, env)).toThrow(ConfigError);
    expect(() => loadConfig(gatewayEnvSchema, env)).toThrow(
      /TRUST_PROXY="true" is invalid because it must be a hop count/,
    );
    expect(loadConfig(gatewayEnvSchema, {}).TRUST_PROXY).toBe('loopback');
  });
});
