import type { Base32EncodeOptions, Base32Plugin } from '@otplib/core';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * RFC 4648 Base32, the format of TOTP secrets in authenticator apps and `otpauth://` URIs. Ours
 * instead of otplib's default plugin for the reason given in NodeCryptoPlugin.
 */
export class Base32Plugin4648 implements Base32Plugin {
  readonly name = 'rfc4648-base32';

  encode(data: Uint8Array, options: Base32EncodeOptions = {}): string {
    let out = '';
    let buffer = 0;
    let bits = 0;
    for (const byte of data) {
      buffer = (buffer << 8) | byte;
      bits += 8;
      while (bits >= 5) {
        out += ALPHABET[(buffer >>> (bits - 5)) & 31];
        bits -= 5;
      }
      buffer &= (1 << bits) - 1;
    }
    if (bits > 0) {
      out += ALPHABET[(buffer << (5 - bits)) & 31];
    }
    if (options.padding) {
      out += '='.repeat((8 - (out.length % 8)) % 8);
    }
    return out;
  }

  /** Case, spaces and padding are ignored (people type secrets by hand); other characters throw. */
  decode(text: string): Uint8Array {
    const clean = text.toUpperCase().replace(/[\s=]/g, '');
    const out: number[] = [];
    let buffer = 0;
    let bits = 0;
    for (const char of clean) {
      const value = ALPHABET.indexOf(char);
      if (value < 0) {
        throw new Error('base32: invalid character');
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        out.push((buffer >>> (bits - 8)) & 255);
        bits -= 8;
      }
      buffer &= (1 << bits) - 1;
    }
    return Uint8Array.from(out);
  }
}
