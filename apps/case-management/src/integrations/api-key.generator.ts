import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { apiKeyHash } from '@app/contracts';

/** base32 (RFC 4648, lower case): 32 symbols, so a byte modulo 32 picks one without bias. */
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

export interface GeneratedApiKey {
  prefix: string;
  key: string;
  keyHash: string;
}

/**
 * Where API keys come from, injected like the clock so a test can name the key it expects. A key
 * carries 256 random bits: a stored SHA-256 of it cannot be reversed or guessed, so it needs no slow
 * password hash (which would cost every alert tens of milliseconds). The prefix is random too (60
 * bits), public, and finds the key's record without a scan of the hashes.
 */
@Injectable()
export class ApiKeyGenerator {
  generate(): GeneratedApiKey {
    const prefix = [...randomBytes(12)].map((b) => BASE32[b % 32]).join('');
    const key = `mmk_${prefix}_${randomBytes(32).toString('base64url')}`;
    return { prefix, key, keyHash: apiKeyHash(key) };
  }
}
