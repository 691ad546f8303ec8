import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A single-use reset link (AUTH-16); only its HMAC is kept. */
@Entity({ name: 'password_reset_token' })
export class PasswordResetToken {
  @PrimaryColumn('uuid')
  id!: string;

  @Index()
  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column({ name: 'token_hmac', unique: true })
  tokenHmac!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
