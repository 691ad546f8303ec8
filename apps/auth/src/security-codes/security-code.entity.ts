import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A 6-digit code sent by SMS or e-mail for one flow (AUTH-6). Only its HMAC is kept. */
@Entity({ name: 'security_code' })
export class SecurityCode {
  @PrimaryColumn('uuid')
  id!: string;

  @Index()
  @Column('uuid', { name: 'flow_id' })
  flowId!: string;

  @Column({ type: 'text' })
  channel!: 'sms' | 'email';

  @Column({ name: 'code_hmac' })
  codeHmac!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'attempts_left' })
  attemptsLeft!: number;

  @Column({ name: 'consumed_at', type: 'timestamptz', nullable: true })
  consumedAt!: Date | null;

  /** The notification message carrying the code (NOTIF-5: when it left); null for older codes. */
  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId!: string | null;

  /** Set by a resend, or when the wrong entries ran out. */
  @Column({ name: 'voided_at', type: 'timestamptz', nullable: true })
  voidedAt!: Date | null;
}
