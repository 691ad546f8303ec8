import { LoginAccount } from './login-account';

/** Why a login needs a second step (AUTH-5), as reason codes for the audit trail. */
export type SecondFactorReason = 'operator' | 'tenant_admin' | 'user_mfa' | 'tenant_policy';

/**
 * AUTH-5: operators and tenant admins always (the admin site's rule), users who enabled MFA, and
 * everyone in a tenant whose policy says "always". Empty means no second step is owed. Passkeys,
 * trusted browsers and the risk check (AUTH-9…AUTH-11) come later and will only add or skip here.
 */
export function secondFactorReasons(account: LoginAccount): SecondFactorReason[] {
  const reasons: SecondFactorReason[] = [];
  if (account.user.isOperator) {
    reasons.push('operator');
  }
  if (account.memberships.some((m) => m.role === 'admin')) {
    reasons.push('tenant_admin');
  }
  if (account.user.mfaRequired) {
    reasons.push('user_mfa');
  }
  if (account.memberships.some((m) => m.mfaAlways)) {
    reasons.push('tenant_policy');
  }
  return reasons;
}
