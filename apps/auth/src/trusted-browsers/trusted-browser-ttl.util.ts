import { MAX_TRUSTED_BROWSER_DAYS } from '@app/contracts';

/** AUTH-9: no policy may trust a browser longer than 90 days. */
export const MAX_TRUSTED_BROWSER_TTL_SECONDS = MAX_TRUSTED_BROWSER_DAYS * 24 * 60 * 60;

/**
 * How long a browser trusted by a user stays trusted (AUTH-9). Each tenant of the user allows its
 * own setting, or the platform default when it has none; the user gets the most restrictive of
 * them, because every one of their tenants must be content with it: a tenant that never allowed
 * more than the default is not overridden by another that did. No tenant (operators): the default.
 */
export function trustedBrowserTtlSeconds(defaultSeconds: number, tenantSettings: (number | null)[]): number {
  const effective =
    tenantSettings.length > 0 ? Math.min(...tenantSettings.map((s) => s ?? defaultSeconds)) : defaultSeconds;
  return Math.min(effective, MAX_TRUSTED_BROWSER_TTL_SECONDS);
}
