import { Injectable } from '@nestjs/common';
import { generateSecret } from '@otplib/core';
import { verify } from '@otplib/totp';
import { toDataURL } from 'qrcode';
import { Base32Plugin4648 } from './base32.plugin';
import { NodeCryptoPlugin } from './node-crypto.plugin';

/** RFC 6238 as authenticator apps expect it (AUTH-8). */
const ALGORITHM = 'sha1';
const DIGITS = 6;
const PERIOD_SECONDS = 30;
/** ±1 step: a code from the step before or after is still accepted (phone clocks drift). */
const DRIFT_STEPS = 1;
const ISSUER = 'Mamori';

/**
 * TOTP codes over otplib v13 (its TOTP strategy package, with node:crypto and RFC 4648 Base32 as
 * plugins — see NodeCryptoPlugin for why not its default entry point): secrets, the `otpauth://`
 * URI and its QR code, and checking a code at a given time. Time is always passed in (the service's
 * Clock), never read here.
 */
@Injectable()
export class TotpCodes {
  /** What otplib needs to compute codes; tests generate codes with the same. */
  static readonly plugins = { crypto: new NodeCryptoPlugin(), base32: new Base32Plugin4648() };

  /** A new Base32 secret of 20 random bytes (160 bits, RFC 4226's recommendation). */
  newSecret(): string {
    return generateSecret({ ...TotpCodes.plugins, length: 20 });
  }

  /** `otpauth://totp/Mamori:<label>?secret=…&issuer=Mamori` — what the QR code holds. */
  uri(label: string, secret: string): string {
    return `otpauth://totp/${ISSUER}:${encodeURIComponent(label)}?secret=${secret}&issuer=${ISSUER}`;
  }

  /** The URI as a QR code, a PNG data URL. */
  qrCode(uri: string): Promise<string> {
    return toDataURL(uri, { type: 'image/png', errorCorrectionLevel: 'M' });
  }

  /**
   * The time step the code belongs to when it is right at `now` within the drift, else null.
   * Spaces and full-width digits typed on a phone keyboard mean the same code.
   */
  async stepOf(secret: string, code: string, now: Date): Promise<number | null> {
    const entered = code.normalize('NFKC').replace(/\s+/g, '');
    if (!/^[0-9]{6}$/.test(entered)) {
      return null;
    }
    const result = await verify({
      ...TotpCodes.plugins,
      secret,
      token: entered,
      algorithm: ALGORITHM,
      digits: DIGITS,
      period: PERIOD_SECONDS,
      epoch: Math.floor(now.getTime() / 1000),
      epochTolerance: DRIFT_STEPS * PERIOD_SECONDS,
    });
    return result.valid ? result.timeStep : null;
  }
}
