import type { Request } from 'express';
import { isLoopbackAddress, isLoopbackClient } from './loopback.util';

const request = (remoteAddress: string | undefined, ip: string | undefined) =>
  ({ socket: { remoteAddress }, ip }) as unknown as Pick<Request, 'socket' | 'ip'>;

describe(isLoopbackClient.name, () => {
  it('accepts a client whose connection and address are both on this machine', () => {
    expect(isLoopbackClient(request('127.0.0.1', '127.0.0.1'))).toBe(true);
    expect(isLoopbackClient(request('::1', '::1'))).toBe(true);
    expect(isLoopbackClient(request('::ffff:127.0.0.1', '::ffff:127.0.0.1'))).toBe(true);
  });

  it('refuses a remote connection, even when a trusted X-Forwarded-For says 127.0.0.1', () => {
    expect(isLoopbackClient(request('203.0.113.9', '127.0.0.1'))).toBe(false);
    expect(isLoopbackClient(request('::ffff:10.0.0.4', '127.0.0.1'))).toBe(false);
  });

  it('refuses a remote client forwarded by a proxy on this machine', () => {
    expect(isLoopbackClient(request('127.0.0.1', '198.51.100.7'))).toBe(false);
  });

  it('knows loopback addresses and nothing else', () => {
    expect(['127.0.0.1', '127.255.0.9', '::1', '::FFFF:127.0.0.2'].map(isLoopbackAddress)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['128.0.0.1', '::2', '1270.0.0.1', '', undefined].map(isLoopbackAddress)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
