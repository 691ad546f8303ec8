import { TotpCredential } from './totp-credential.entity';

/** Entities of this area, listed in AUTH_ENTITIES. */
export const TOTP_ENTITIES: (new () => object)[] = [TotpCredential];
