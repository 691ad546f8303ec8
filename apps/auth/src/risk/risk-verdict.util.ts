import { RiskFinding } from './risk-signal';

/**
 * Findings whose weights add up to this ask for a second step, even of a user without MFA. One
 * weak hint (a new network: 1, an unusual hour: 1, a new browser on a known network: 2) does not;
 * a new device on a new network (2 + 1), or 3+ wrong passwords before the right one (3), does.
 */
export const RISK_SECOND_STEP_SCORE = 3;

/**
 * Findings whose weights add up to this deny the login outright. The weights are chosen so that
 * only impossible travel (5) with corroboration gets here — e.g. with recent failures (5 + 3), or
 * from a new device on a new network (5 + 2 + 1). Everything else together weighs at most 7: a
 * user who merely forgot their password on a new laptop in a hotel at night is asked for a second
 * step, never locked out by the risk check.
 */
export const RISK_DENY_SCORE = 8;

export type RiskOutcome = 'allow' | 'second_factor' | 'deny';

export interface RiskVerdict {
  outcome: RiskOutcome;
  score: number;
  /** Reason codes of every finding, whether or not they reached a threshold. */
  reasons: string[];
}

/** The outcome of a login's findings (AUTH-11): allow, require a second step, or deny. */
export function riskVerdict(findings: RiskFinding[]): RiskVerdict {
  const score = findings.reduce((sum, f) => sum + f.weight, 0);
  const outcome: RiskOutcome =
    score >= RISK_DENY_SCORE ? 'deny' : score >= RISK_SECOND_STEP_SCORE ? 'second_factor' : 'allow';
  return { outcome, score, reasons: findings.map((f) => f.reason) };
}
