import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AuthEnv } from '@app/config';

/** COSE algorithms we accept, offered in this order: EdDSA, ES256, RS256 (what authenticators ship). */
export const PASSKEY_ALGORITHMS = [-8, -7, -257];

/** A challenge is good for 5 minutes, also what the browser is told to wait at most. */
export const PASSKEY_CHALLENGE_TTL_MS = 5 * 60 * 1000;

/**
 * Mamori as a WebAuthn relying party (AUTH-10), from WEBAUTHN_RP_ID, WEBAUTHN_RP_NAME and
 * WEBAUTHN_ORIGINS: an answer signed for another site, or collected on a page of another origin,
 * never verifies here.
 */
@Injectable()
export class RelyingParty {
  readonly id: string;
  readonly name: string;
  /** Every origin the portal is served from (a passkey works on all of them, same RP id). */
  readonly origins: string[];

  constructor(@Inject(APP_CONFIG) config: AuthEnv) {
    this.id = config.WEBAUTHN_RP_ID;
    this.name = config.WEBAUTHN_RP_NAME;
    this.origins = config.WEBAUTHN_ORIGINS.split(',')
      .map((origin) => origin.trim().replace(/\/+$/, ''))
      .filter((origin) => origin.length > 0);
  }
}
