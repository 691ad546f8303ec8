import { Column, Entity, PrimaryColumn } from 'typeorm';

export type WebauthnChallengePurpose = 'registration' | 'login';

/**
 * A challenge handed to a browser for one WebAuthn ceremony (AUTH-10). Kept server-side so an
 * answer is checked against what we issued, and single use: `used_at` is set by the one statement
 * that accepts it. For a passkey login its id is the `flowId` of the API.
 */
@Entity({ name: 'webauthn_challenge' })
export class WebauthnChallenge {
  @PrimaryColumn('uuid')
  id!: string;

  /** Registration: the signed-in user. Login: the user the login named, null when none or unknown. */
  @Column('uuid', { name: 'user_id', nullable: true })
  userId!: string | null;

  @Column({ type: 'text' })
  purpose!: WebauthnChallengePurpose;

  /**
   * The login named a user ID: only that user's passkeys answer it. With an unknown ID `userId` is
   * null and nothing can, while the options looked the same as for a known one.
   */
  @Column({ name: 'names_user', type: 'boolean', default: false })
  namesUser!: boolean;

  /** base64url, as sent in the options and echoed in clientDataJSON. */
  @Column({ type: 'text', unique: true })
  challenge!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
