import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { ProjectedStatement } from '@app/database';
import { LockoutRepository, LockWindow } from './lockout.repository';

/** A key's row as read under its row lock (the second step's read): its lock and its code count. */
export interface HeldThrottle {
  lockedUntil: Date | null;
  codeFailures: number;
}

/** The outcome of asking to try a password for a user ID key (AUTH-3). */
export type AttemptReservation = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** AUTH-3 (docomo business admin site seed): 5 consecutive wrong passwords lock the user ID… */
export const MAX_PASSWORD_FAILURES = 5;
/** …for 20 minutes, after which it unlocks by itself with a fresh count (AUTH-3 seed rule). */
export const LOCK_DURATION_MS = 20 * 60 * 1000;
/** AUTH-6 (ours, after the seeds' AUTH-3): 10 consecutive wrong security codes lock the same way. */
export const MAX_CODE_FAILURES = 10;

/**
 * AUTH-3 lockout, for known and unknown IDs alike. Keys are `normalizeUserId(raw)`.
 *
 * Every decision is one atomic statement on the key's row (LockoutRepository): PostgreSQL serialises
 * the statements on the row, so however many attempts race, the count cannot overshoot. Time is the
 * injected Clock's, passed as a parameter (never SQL now()), so the 20-minute window is tested at
 * its boundary without sleeping and every replica agrees on it.
 *
 * A lock whose `locked_until` has passed is "expired": the next statement that touches the row
 * starts a fresh cycle (all counts back to 0) before applying itself.
 *
 * The methods that change a count take the caller's EntityManager, so the change commits together
 * with its audit events (a count is never moved without its fact being written, nor the reverse);
 * without one they run on their own. `reserveAttempt` alone always commits at once: the password
 * path's guarantee rests on the reservation being visible to every concurrent attempt before the
 * password is checked.
 */
@Injectable()
export class LockoutService {
  constructor(
    private readonly throttle: LockoutRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Atomically reserves one of the 5 tries before the password is checked; refuses while locked.
   * A reserved try counts as a failure until `recordSuccess` says otherwise, so a process dying
   * mid-check cannot hand out a free try. The 5th reservation also locks provisionally: the 6th
   * concurrent attempt is refused with a true retryAfter, and a reservation that is never settled
   * still unlocks after 20 minutes instead of blocking the ID forever.
   */
  async reserveAttempt(key: string): Promise<AttemptReservation> {
    if (await this.throttle.reserve(key, this.window(MAX_PASSWORD_FAILURES))) {
      return { allowed: true };
    }
    // Refused: the decision above was atomic; this read only tells the caller how long to wait.
    // No active lock any more means a concurrent success has just cleared it: try again at once.
    return { allowed: false, retryAfterSeconds: (await this.lockedFor(key)) ?? 1 };
  }

  /**
   * A wrong password: the reserved try stays counted. Settles one reservation; the settlement that
   * makes 5 (re)starts the 20-minute lock from now and returns true — exactly one per lock.
   */
  async recordFailure(key: string, manager?: EntityManager): Promise<boolean> {
    const settled = await this.throttle.settleFailure(key, this.window(MAX_PASSWORD_FAILURES), manager);
    return settled !== null && settled >= MAX_PASSWORD_FAILURES;
  }

  /**
   * `recordFailure` as a statement to send with the failure's facts, and the SQL condition (over
   * it) that holds when this failure locked the ID: the locking fact is written under it
   * (`OutcomeWrite.factIf`), so the count, the failure's fact and the lock's fact are one statement.
   */
  failure(key: string): { statement: ProjectedStatement; lockedNow: string } {
    const statement = this.throttle.settleFailureStatement(key, this.window(MAX_PASSWORD_FAILURES));
    return { statement, lockedNow: `EXISTS (SELECT 1 FROM ${statement.name} WHERE locks)` };
  }

  /**
   * A right password: the count starts again. Lifts the provisional lock of this cycle, but not a
   * lock earned by wrong security codes, which a password does not answer.
   */
  async recordSuccess(key: string, manager?: EntityManager): Promise<void> {
    await this.throttle.run(this.successStatement(key), manager);
  }

  /** `recordSuccess` as a statement to send with the fact it belongs to (`OutboxWriter.record`). */
  successStatement(key: string): ProjectedStatement {
    return this.throttle.successStatement(key, MAX_CODE_FAILURES);
  }

  /** Seconds until unlock, or null when not locked; for entry points that only need to check. */
  async lockedFor(key: string, manager?: EntityManager): Promise<number | null> {
    const now = this.clock.now();
    const until = await this.throttle.lockedUntil(key, now, manager);
    return until ? secondsUntil(until, now) : null;
  }

  /** The keys among `keys` that are locked now, in one query (user lists). */
  async lockedKeys(keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) {
      return new Set();
    }
    return new Set(await this.throttle.lockedKeys(keys, this.clock.now()));
  }

  /**
   * Takes the key's row lock until `manager`'s transaction ends (creating the row if the key has
   * none) and answers as `lockedFor`. A security-code check holds it from the lock check to the
   * count of its outcome, so the checks of one account queue one behind the other however many
   * flows they come through: the 10th wrong code locks before an 11th is looked at, and no right
   * code is accepted once the lock is set (AUTH-6).
   */
  async holdForCodeCheck(manager: EntityManager, key: string): Promise<number | null> {
    const now = this.clock.now();
    const until = await this.throttle.hold(manager, key);
    return until !== null && until.getTime() > now.getTime() ? secondsUntil(until, now) : null;
  }

  /**
   * A wrong security code (AUTH-6: 10 in a row lock like AUTH-3). While locked, failures do not
   * add up. Returns true for the one failure that locked it.
   */
  async recordCodeFailure(key: string, manager?: EntityManager): Promise<boolean> {
    const count = await this.throttle.countCodeFailure(key, this.window(MAX_CODE_FAILURES), manager);
    return count !== null && count >= MAX_CODE_FAILURES;
  }

  /**
   * `holdForCodeCheck`'s answer for a row the caller has already locked and read (`HeldThrottle`,
   * e.g. in the second step's one read): seconds until unlock, or null when not locked.
   */
  lockedForHeld(held: HeldThrottle): number | null {
    const now = this.clock.now();
    return held.lockedUntil !== null && held.lockedUntil.getTime() > now.getTime()
      ? secondsUntil(held.lockedUntil, now)
      : null;
  }

  /**
   * `recordCodeFailure` for a key whose row the caller holds (`HeldThrottle`, not locked now): the
   * statement to send with the failure's facts, and whether it locks. Exact, not a guess: the row
   * lock is held from the read to the commit, so nothing else moves the count in between.
   */
  codeFailure(key: string, held: HeldThrottle): { statement: ProjectedStatement; locks: boolean } {
    const window = this.window(MAX_CODE_FAILURES);
    const expired = held.lockedUntil !== null && held.lockedUntil.getTime() <= window.now.getTime();
    const count = expired ? 1 : held.codeFailures + 1;
    return {
      statement: this.throttle.codeFailureStatement(key, window),
      locks: count >= MAX_CODE_FAILURES,
    };
  }

  /** `recordCodeSuccess` as a statement to send with the success's facts. */
  codeSuccessStatement(key: string): ProjectedStatement {
    return this.throttle.codeSuccessStatement(key);
  }

  /** A right security code: wrong ones must be consecutive to lock. */
  async recordCodeSuccess(key: string, manager?: EntityManager): Promise<void> {
    await this.throttle.resetCodeFailures(key, manager);
  }

  /** Admin unlock and completed reset: at once, with a fresh count. */
  async unlock(key: string, manager?: EntityManager): Promise<void> {
    await this.throttle.unlock(key, manager);
  }

  /** Now, and a lock from now that a count reaching `max` sets. */
  private window(max: number): LockWindow {
    const now = this.clock.now();
    return { now, lockUntil: new Date(now.getTime() + LOCK_DURATION_MS), max };
  }
}

/** Whole seconds, rounded up so a client told "retry after N" is never early; at least 1. */
function secondsUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((new Date(until).getTime() - now.getTime()) / 1000));
}
