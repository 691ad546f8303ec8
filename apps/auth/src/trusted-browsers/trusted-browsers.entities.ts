import { TrustedBrowser } from './trusted-browser.entity';

/** Entities of this area, listed in AUTH_ENTITIES: trusted browsers (AUTH-9). */
export const TRUSTED_BROWSERS_ENTITIES: (new () => object)[] = [TrustedBrowser];
