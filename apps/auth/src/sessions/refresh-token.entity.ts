import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One refresh token of a session; used once, then replaced (rotation with reuse detection). */
@Entity({ name: 'refresh_token' })
export class RefreshToken {
  @PrimaryColumn('uuid')
  id!: string;

  @Index()
  @Column('uuid', { name: 'session_id' })
  sessionId!: string;

  @Column({ name: 'token_hmac', unique: true })
  tokenHmac!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  /** The token that replaced this one by a refresh (not by a step-up or a tenant switch). */
  @Column('uuid', { name: 'successor_id', nullable: true })
  successorId!: string | null;

  /** That token itself, sealed (SecretBox, bound to this row's id), for a replay within the grace. */
  @Column({ name: 'successor_sealed', type: 'text', nullable: true })
  successorSealed!: string | null;
}
