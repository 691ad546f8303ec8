import { LoginAccount } from '../users/login-account';

/** What a caller told the operator about themselves before an MFA reset (AUTH-19). */
export interface IdentityClaim {
  email: string;
  familyName: string;
  givenName?: string;
  company: string;
  phone?: string;
}

/** The fields of an identity check, in the order they are reported. */
export type IdentityField = 'email' | 'familyName' | 'givenName' | 'company' | 'phone';

/**
 * The fields of `claim` that do not match the account; empty when the identity check passes. Every
 * field given must match: the e-mail without regard to case, the names as written (width, case and
 * surrounding or repeated spaces do not matter), the company as the name of one of the user's
 * tenants, the phone by its digits. An optional field left out is not checked; one given for an
 * account that has no such value does not match.
 */
export function identityMismatches(account: LoginAccount, claim: IdentityClaim): IdentityField[] {
  const { user } = account;
  const failed: IdentityField[] = [];
  if (comparable(claim.email) !== comparable(user.email)) {
    failed.push('email');
  }
  if (comparable(claim.familyName) !== comparable(user.familyName)) {
    failed.push('familyName');
  }
  if (given(claim.givenName) && comparable(claim.givenName) !== comparable(user.givenName)) {
    failed.push('givenName');
  }
  const company = comparable(claim.company);
  if (!account.memberships.some((m) => comparable(m.tenantName) === company)) {
    failed.push('company');
  }
  if (given(claim.phone) && (user.phone === null || phoneDigits(claim.phone) !== phoneDigits(user.phone))) {
    failed.push('phone');
  }
  return failed;
}

function given(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

/** NFKC (full-width letters are the same letters), trimmed, one space between words, lower case. */
function comparable(value: string | null | undefined): string {
  return (value ?? '').normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The digits of a number in international form: `+81 90-1234-5678`, `090-1234-5678` and
 * `+819012345678` are one number. A leading single 0 is the Japanese trunk prefix (Mamori's users
 * read their number out as they dial it at home).
 */
export function phoneDigits(value: string): string {
  const normalized = value.normalize('NFKC').trim();
  const digits = normalized.replace(/\D/g, '');
  if (normalized.startsWith('+')) {
    return digits;
  }
  if (/^0[1-9]/.test(digits)) {
    return `81${digits.slice(1)}`;
  }
  return digits;
}
