import { Passkey } from './passkey.entity';
import { WebauthnChallenge } from './webauthn-challenge.entity';

/** Entities of this area, listed in AUTH_ENTITIES. */
export const PASSKEYS_ENTITIES: (new () => object)[] = [Passkey, WebauthnChallenge];
