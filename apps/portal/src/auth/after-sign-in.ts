import type { Authenticated } from '../api/types';
import { roleOf } from '../ops/use-operator';

/** An operator's home: the operator area, where every screen of their work starts. */
export const OPERATOR_HOME = '/ops';

/**
 * Where a fresh session goes: an operator to the operator area, a tenant user to the tenant picker
 * when a tenant must be chosen (AUTH-18), else to their account.
 */
export function landingPath(result: Pick<Authenticated, 'accessToken' | 'activeTenant' | 'tenants'>): string {
  if (roleOf(result.accessToken) === 'operator') {
    return OPERATOR_HOME;
  }
  return result.activeTenant === null && result.tenants.length > 0 ? '/select-tenant' : '/account';
}
