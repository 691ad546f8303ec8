import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Reset counters of one user ID key (AUTH-16): consecutive ID/e-mail mismatches (5 block resets for
 * 20 minutes) and the last completed reset (none again for 24 hours).
 */
@Entity({ name: 'password_reset_guard' })
export class PasswordResetGuard {
  @PrimaryColumn()
  key!: string;

  @Column({ default: 0 })
  mismatches!: number;

  @Column({ name: 'blocked_until', type: 'timestamptz', nullable: true })
  blockedUntil!: Date | null;

  @Column({ name: 'last_completed_at', type: 'timestamptz', nullable: true })
  lastCompletedAt!: Date | null;

  /** When a mismatch last moved the count; the pruner forgets counts left untouched for long. */
  @Column({ name: 'touched_at', type: 'timestamptz', nullable: true })
  touchedAt!: Date | null;
}
