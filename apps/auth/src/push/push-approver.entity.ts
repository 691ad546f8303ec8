import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A phone app the user registered to approve their logins (AUTH-13). The app authenticates with a
 * random 256-bit token shown once; only its HMAC is kept. A revoked approver sees nothing any more.
 */
@Entity({ name: 'push_approver' })
export class PushApprover {
  @PrimaryColumn('uuid')
  id!: string;

  @Index()
  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'token_hmac', type: 'text', unique: true })
  tokenHmac!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
