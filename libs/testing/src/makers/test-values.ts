import { randomBytes, randomInt } from 'node:crypto';

/** A password that meets the default policy (AUTH-2) and shares nothing with a generated ID or name. */
export function strongPassword(): string {
  return `Qz7#${randomBytes(6).toString('hex')}!Wv`;
}

/** Lower-case hex, unique enough to keep user IDs, codes and names of parallel test files apart. */
export function randomId(length = 10): string {
  return randomBytes(16).toString('hex').slice(0, length);
}

/** Eight hex characters to append to a name. */
export function randomSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** A client address of its own per test (the gateway trusts X-Forwarded-For from loopback only). */
export function randomIp(): string {
  return `198.51.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}
