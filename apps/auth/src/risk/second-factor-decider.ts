import { Injectable } from '@nestjs/common';
import { CallContext } from '@app/contracts';
import { LoginAccount } from '../users/login-account';
import { secondFactorDecision, secondFactorReasons } from './second-factor-policy.util';
import { TrustedBrowsersService } from '../trusted-browsers/trusted-browsers.service';
import { LoginMemoryRows } from './login-memory';
import { RiskAssessor } from './risk-assessor.service';

/** What the password step does next (AUTH-5, AUTH-9, AUTH-11). */
export interface SecondFactorDecision {
  outcome: 'allow' | 'second_factor' | 'deny';
  /** Why a second step is owed or the login denied (policy reasons and risk reason codes); audited, and shown to the client. */
  reasons: string[];
  /** Set when a trusted browser skipped the second step. */
  trustedBrowserId?: string;
}

/**
 * Decides, after a right password, whether a second step is owed: the policy levels (AUTH-5), the
 * trusted browser that may skip it (AUTH-9) and the risk check that may still ask for it or deny
 * the login (AUTH-11). The rules are in `secondFactorDecision`; this class gathers their inputs.
 */
@Injectable()
export class SecondFactorDecider {
  constructor(
    private readonly risk: RiskAssessor,
    private readonly trustedBrowsers: TrustedBrowsersService,
  ) {}

  async decide(
    account: LoginAccount,
    ctx: CallContext,
    deviceToken: string | undefined,
    memory?: LoginMemoryRows,
  ): Promise<SecondFactorDecision> {
    const verdict = await this.risk.assess(account, ctx, memory);
    // The token is only looked at (and its last use recorded) when it could skip something.
    const trustedBrowserId =
      verdict.outcome === 'allow' && deviceToken
        ? await this.trustedBrowsers.recognise(account.user.id, deviceToken)
        : null;
    return secondFactorDecision(secondFactorReasons(account), verdict, trustedBrowserId);
  }
}
