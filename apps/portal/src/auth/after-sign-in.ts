import type { Authenticated } from '../api/types';

/** Where a fresh session goes: the tenant picker when a tenant must be chosen (AUTH-18). */
export function landingPath(result: Pick<Authenticated, 'activeTenant' | 'tenants'>): string {
  return result.activeTenant === null && result.tenants.length > 0 ? '/select-tenant' : '/account';
}
