import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** The outcome of asking to try a password for a user ID key (AUTH-3). */
export type AttemptReservation = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * AUTH-3 lockout. OWNED BY THE ACCOUNTS ENGINEER; the signatures below are the agreed contract.
 * Keys are `normalizeUserId(raw)`, for known and unknown IDs alike.
 */
@Injectable()
export class LockoutService {
  /** Atomically reserves one of the 5 tries before the password is checked; refuses while locked. */
  async reserveAttempt(_key: string): Promise<AttemptReservation> {
    throw new Error('not implemented');
  }
  /** A wrong password: the reserved try stays counted; the 5th locks for 20 minutes. Returns true if this locked it. */
  async recordFailure(_key: string): Promise<boolean> {
    throw new Error('not implemented');
  }
  /** A right password: the count starts again. */
  async recordSuccess(_key: string): Promise<void> {
    throw new Error('not implemented');
  }
  /** Seconds until unlock, or null when not locked; for entry points that only need to check. */
  async lockedFor(_key: string): Promise<number | null> {
    throw new Error('not implemented');
  }
  /** A wrong security code (AUTH-6: 10 in a row lock like AUTH-3). Returns true if this locked it. */
  async recordCodeFailure(_key: string): Promise<boolean> {
    throw new Error('not implemented');
  }
  async recordCodeSuccess(_key: string): Promise<void> {
    throw new Error('not implemented');
  }
  /** Admin unlock and completed reset: at once, with a fresh count. */
  async unlock(_key: string, _manager?: EntityManager): Promise<void> {
    throw new Error('not implemented');
  }
}
