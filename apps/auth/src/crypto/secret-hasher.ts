import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AuthEnv } from '@app/config';

/**
 * HMAC-SHA256 of codes and tokens at rest, keyed by TOKEN_HMAC_SECRET: a stolen table gives neither
 * the tokens nor (for 6-digit codes, whose space is tiny) a way to brute-force them offline.
 */
@Injectable()
export class SecretHasher {
  constructor(@Inject(APP_CONFIG) private readonly config: AuthEnv) {}

  /** `context` binds a code to its flow, so the same digits mean nothing elsewhere. */
  hmac(secret: string, context = ''): string {
    return createHmac('sha256', this.config.TOKEN_HMAC_SECRET)
      .update(context)
      .update('\0')
      .update(secret)
      .digest('hex');
  }

  /** Constant-time, so the comparison leaks nothing about how much of a guess was right. */
  matches(secret: string, expectedHmac: string, context = ''): boolean {
    const actual = Buffer.from(this.hmac(secret, context), 'hex');
    const expected = Buffer.from(expectedHmac, 'hex');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /** A URL-safe random token of `bytes` bytes (32 bytes = 256 bits). */
  randomToken(bytes = 32): string {
    return randomBytes(bytes).toString('base64url');
  }

  /** A 6-digit code from the CSPRNG, leading zeros kept. */
  randomCode(): string {
    return randomInt(0, 1_000_000).toString().padStart(6, '0');
  }
}
