import { LoginFingerprint } from './login-fingerprint.entity';

/** Entities of this area, listed in AUTH_ENTITIES: the risk check's login fingerprints (AUTH-11). */
export const RISK_ENTITIES: (new () => object)[] = [LoginFingerprint];
