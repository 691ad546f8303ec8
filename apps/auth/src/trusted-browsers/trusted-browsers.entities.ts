import { LoginFingerprint } from '../risk/login-fingerprint.entity';
import { TrustedBrowser } from './trusted-browser.entity';

/**
 * Entities of this area, listed in AUTH_ENTITIES: trusted browsers (AUTH-9) and, from the same
 * migration, the risk check's login fingerprints (AUTH-11).
 */
export const TRUSTED_BROWSERS_ENTITIES: (new () => object)[] = [TrustedBrowser, LoginFingerprint];
