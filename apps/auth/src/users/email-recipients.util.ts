import { LoginAccount } from '../login-flow/login-account';

/** Every contact address of the account; today an account has one, its registered e-mail. */
export function contactAddresses(account: LoginAccount): string[] {
  return account.user.email ? [account.user.email] : [];
}

/**
 * AUTH-7: where a security code by e-mail goes. In a tenant where the admin set a notification
 * address for the user, the code goes there only; in a tenant where none is set, to every contact
 * address of the account.
 *
 * With `tenant` (a step-up in a session with an active tenant) that tenant decides. Without one (a
 * login, before the user has picked a tenant, AUTH-18) every tenant of the user has its say: for a
 * user in one tenant that is exactly the rule above, and a user in several gets the code where each
 * of their tenants sends it. An account without tenants (an operator) uses its contact addresses.
 * Addresses are listed once each (case-insensitively), in a stable order.
 */
export function codeEmailRecipients(account: LoginAccount, tenant?: string | null): string[] {
  const memberships = tenant
    ? account.memberships.filter((m) => m.tenantNumber === tenant)
    : account.memberships;
  const candidates =
    memberships.length === 0
      ? contactAddresses(account)
      : memberships.flatMap((m) => (m.notificationEmail ? [m.notificationEmail] : contactAddresses(account)));
  const seen = new Set<string>();
  return candidates.filter((address) => {
    const key = address.trim().toLowerCase();
    if (key === '' || seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}
