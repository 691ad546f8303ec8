import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CryptoPlugin, HashAlgorithm } from '@otplib/core';

/**
 * otplib's crypto on node:crypto. otplib's own entry point loads its default plugins, which are
 * ESM-only packages (@noble/hashes, @scure/base): Node before 20.19 cannot `require` them and jest
 * cannot load them at all. Mamori therefore calls otplib v13's CommonJS strategy package
 * (@otplib/totp) with these plugins; the HMAC is node's own, which is also the faster one.
 */
export class NodeCryptoPlugin implements CryptoPlugin {
  readonly name = 'node-crypto';
  readonly algorithms: readonly HashAlgorithm[] = ['sha1', 'sha256', 'sha512'];

  hmac(algorithm: HashAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array {
    return new Uint8Array(createHmac(algorithm, key).update(data).digest());
  }

  randomBytes(length: number): Uint8Array {
    return new Uint8Array(randomBytes(length));
  }

  constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
    const left = typeof a === 'string' ? Buffer.from(a, 'utf8') : Buffer.from(a);
    const right = typeof b === 'string' ? Buffer.from(b, 'utf8') : Buffer.from(b);
    return left.length === right.length && timingSafeEqual(left, right);
  }
}
