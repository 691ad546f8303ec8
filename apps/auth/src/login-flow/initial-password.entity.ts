import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The initial authentication password an admin chose for an admin they registered (AUTH-14): asked
 * once, at that admin's first login, after the second step. Stored as argon2id; single use.
 */
@Entity({ name: 'initial_password' })
export class InitialPassword {
  @PrimaryColumn('uuid', { name: 'user_id' })
  userId!: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  /** The admin who set it. */
  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
