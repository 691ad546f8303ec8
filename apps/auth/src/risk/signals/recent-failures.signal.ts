import { Injectable } from '@nestjs/common';
import { RiskFinding, RiskInput, RiskSignal } from '../risk-signal';

/** Wrong passwords before this right one that make it suspicious (the lock itself comes at 5, AUTH-3). */
export const RECENT_FAILURES_THRESHOLD = 3;
/** Enough on its own for a second step: the right password may have been guessed. */
export const RECENT_FAILURES_WEIGHT = 3;

/**
 * `recent_failures`: at least RECENT_FAILURES_THRESHOLD wrong passwords since the last right one.
 * Counts for new users too — a guessed password is as dangerous on a first login.
 */
@Injectable()
export class RecentFailuresSignal implements RiskSignal {
  readonly name = 'recent_failures';

  async evaluate({ memory }: RiskInput): Promise<RiskFinding | null> {
    if (memory.recentFailures < RECENT_FAILURES_THRESHOLD) {
      return null;
    }
    return { reason: this.name, weight: RECENT_FAILURES_WEIGHT };
  }
}
