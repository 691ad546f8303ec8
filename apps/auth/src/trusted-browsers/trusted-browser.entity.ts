import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A browser a user trusted at verify (AUTH-9): it skips the second step until it expires, is revoked,
 * or the user's credential version moves on. Only the HMAC of its device token is kept. Live rows
 * are `revoked_at IS NULL AND expires_at > now` (a credential-version bump sets `revoked_at`).
 */
@Entity({ name: 'trusted_browser' })
export class TrustedBrowser {
  @PrimaryColumn('uuid')
  id!: string;

  @Index()
  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column({ name: 'token_hmac', unique: true })
  tokenHmac!: string;

  @Column()
  name!: string;

  /** The user's credential version when trusted; any other version voids it. */
  @Column({ name: 'credential_version', type: 'integer' })
  credentialVersion!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent!: string | null;

  @Column({ type: 'text', nullable: true })
  ip!: string | null;
}
