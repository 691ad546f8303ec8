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
}
