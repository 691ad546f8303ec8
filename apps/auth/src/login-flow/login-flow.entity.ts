import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type LoginFlowPurpose = 'login' | 'step_up';
export type LoginFlowStatus = 'pending' | 'completed' | 'expired';

/** One login (or step-up) in progress: the password was right, a second step is owed. */
@Entity({ name: 'login_flow' })
export class LoginFlow {
  @PrimaryColumn('uuid')
  id!: string;

  @Index()
  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column({ type: 'text' })
  purpose!: LoginFlowPurpose;

  @Column({ type: 'text', default: 'pending' })
  status!: LoginFlowStatus;

  /** For a step-up: the session that asked for it. */
  @Column('uuid', { name: 'session_id', nullable: true })
  sessionId!: string | null;

  @Column({ type: 'text', nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}
