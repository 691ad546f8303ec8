import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The lockout counter of one user ID key (AUTH-3), known or not: unknown IDs are counted the same way
 * so a lock tells nothing about existence. Updated only by single atomic statements; a security-code
 * check also holds the row's lock for its whole transaction (LockoutService.holdForCodeCheck).
 */
@Entity({ name: 'login_throttle' })
export class LoginThrottle {
  @PrimaryColumn()
  key!: string;

  /** Consecutive wrong passwords (attempts in flight included), never above the limit. */
  @Column({ default: 0 })
  failures!: number;

  /** Of the reserved tries, those that came back wrong: the one that makes it 5 reports the lock. */
  @Column({ name: 'settled_failures', default: 0 })
  settledFailures!: number;

  /** Consecutive wrong security codes (AUTH-6: 10 lock the account). */
  @Column({ name: 'code_failures', default: 0 })
  codeFailures!: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  /** When a password try last moved the count; the pruner forgets counts left untouched for long. */
  @Column({ name: 'touched_at', type: 'timestamptz', nullable: true })
  touchedAt!: Date | null;
}
