import { LoginAccount } from '../users/login-account';

/**
 * What the risk check knows of a user's earlier successful logins when a new one arrives (AUTH-11).
 * Gathered once per login by LoginMemory, so each signal stays a cheap, pure look at it.
 */
export interface LoginMemorySnapshot {
  /**
   * The user has logged in successfully before. Without history nothing is "new": a brand-new
   * user's first login comes from an unknown device and network by definition, and must not be
   * pushed into a second step for that alone.
   */
  hasHistory: boolean;
  /** This login's device was seen in an earlier successful login; null when the login has no user agent. */
  deviceKnown: boolean | null;
  /** This login's network was seen in an earlier successful login; null when the login has no address. */
  networkKnown: boolean | null;
  /** The latest successful login, for signals that compare place and time. */
  lastLogin: { ip: string | null; at: Date } | null;
  /** Wrong passwords since the last right one (the lockout's settled count, AUTH-3). */
  recentFailures: number;
}

/** One login as the risk check sees it, after a right password. */
export interface RiskInput {
  account: LoginAccount;
  ip: string | null;
  userAgent: string | null;
  now: Date;
  memory: LoginMemorySnapshot;
}

/** Something a signal found suspicious: a reason code for the audit trail and how much it weighs. */
export interface RiskFinding {
  /** Reason code, e.g. `new_device`; audited and shown to the client in `reasons`. */
  reason: string;
  /** Adds up with the other findings' weights against the thresholds of `riskVerdict`. */
  weight: number;
}

/**
 * One risk signal (AUTH-11, ours: pluggable). Signals are Nest providers listed in the RISK_SIGNALS
 * array (see RiskModule): a new one is a class and one line there, the decider never changes.
 * A signal that cannot tell (no user agent, no geo database, …) answers null.
 */
export interface RiskSignal {
  readonly name: string;
  evaluate(input: RiskInput): Promise<RiskFinding | null>;
}

/** Injection token of the array of every RiskSignal. */
export const RISK_SIGNALS = Symbol('RISK_SIGNALS');
