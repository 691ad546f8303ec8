import { Role } from '@app/contracts';
import { LoginAccount } from '../users/login-account';

/**
 * The tenant a new session starts in (AUTH-18): the only one when there is exactly one; none when
 * the user must pick among several, and none for operators, who act across tenants.
 */
export function initialTenant(account: LoginAccount): string | null {
  if (account.user.isOperator || account.memberships.length !== 1) {
    return null;
  }
  return account.memberships[0].tenantNumber;
}

/** The role a token carries: operator everywhere, else the role in the active tenant ('user' without one). */
export function roleIn(account: LoginAccount, tenant: string | null): Role {
  if (account.user.isOperator) {
    return 'operator';
  }
  return account.memberships.find((m) => m.tenantNumber === tenant)?.role ?? 'user';
}

/** The active tenant kept only while the user is still a member of it (a membership may have been removed). */
export function stillMemberOf(account: LoginAccount, tenant: string | null): string | null {
  if (tenant === null || account.user.isOperator) {
    return null;
  }
  return account.memberships.some((m) => m.tenantNumber === tenant) ? tenant : null;
}
