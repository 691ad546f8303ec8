import { LoginAccount } from './login-account';

/** Every contact address of the account; today an account has one, its registered e-mail. */
export function contactAddresses(account: LoginAccount): string[] {
  return account.user.email ? [account.user.email] : [];
}

/**
 * AUTH-7: where a security code by e-mail goes. A tenant's notification address receives only the
 * codes of logins and step-ups IN that tenant: with `tenant` (a step-up in a session with an active
 * tenant), that tenant's notification address when its admin set one, else the contact addresses.
 * Without a tenant (a login before one is chosen, a step-up of a session without one): a user in
 * exactly one tenant logs in to that tenant, so its rule holds; a user in several, or in none (an
 * operator), gets the code at the account's own contact addresses only — an admin of one tenant
 * must never be able to receive the codes that open the user's other tenants (see
 * docs/accounts-and-tenants.md). Addresses are listed once each (case-insensitively).
 */
export function codeEmailRecipients(account: LoginAccount, tenant?: string | null): string[] {
  const membership = tenant
    ? account.memberships.find((m) => m.tenantNumber === tenant)
    : account.memberships.length === 1
      ? account.memberships[0]
      : undefined;
  const candidates = membership?.notificationEmail
    ? [membership.notificationEmail]
    : contactAddresses(account);
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
