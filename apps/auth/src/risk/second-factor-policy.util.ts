import type { SecondFactorDecision } from './second-factor-decider';
import { RiskVerdict } from './risk-verdict.util';
import { LoginAccount } from '../users/login-account';

/** Why a login needs a second step by policy (AUTH-5), as reason codes for the audit trail. */
export type SecondFactorReason = 'operator' | 'tenant_admin' | 'user_mfa' | 'tenant_policy';

/**
 * AUTH-5 policy levels: operators and tenant admins always (the admin site's rule), users who
 * enabled MFA, and everyone in a tenant whose policy says "always". Empty means the policy owes no
 * second step (the risk check may still ask for one).
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

/**
 * AUTH-5 with AUTH-9 and AUTH-11, after a right password:
 * - the risk check denies → deny, with its reason codes;
 * - the risk check asks for a second step → a second step, even for a user without MFA and even
 *   from a trusted browser ("unless the risk check says otherwise"), with the policy's reasons and
 *   the risk reason codes;
 * - a trusted browser of this user → no second step, whatever the policy;
 * - otherwise the policy decides.
 * Risk findings below the second-step score neither add a step nor take away a trusted browser's
 * skip: they are in the audit trail (`auth.login.risk_assessed`) only.
 */
export function secondFactorDecision(
  policy: SecondFactorReason[],
  risk: RiskVerdict,
  trustedBrowserId: string | null,
): SecondFactorDecision {
  switch (risk.outcome) {
    case 'deny':
      return { outcome: 'deny', reasons: risk.reasons };
    case 'second_factor':
      return { outcome: 'second_factor', reasons: [...policy, ...risk.reasons] };
    case 'allow':
      break;
  }
  if (trustedBrowserId) {
    return { outcome: 'allow', reasons: [], trustedBrowserId };
  }
  return policy.length > 0
    ? { outcome: 'second_factor', reasons: policy }
    : { outcome: 'allow', reasons: [] };
}
