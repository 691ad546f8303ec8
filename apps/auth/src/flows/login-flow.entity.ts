import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type LoginFlowPurpose = 'login' | 'step_up';
export type LoginFlowStatus = 'pending' | 'completed' | 'expired';
/** What a pending flow waits for: the second step, then (AUTH-14) the initial authentication password. */
export type LoginFlowStage = 'second_factor' | 'initial_password';

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

  @Column({ type: 'text', default: 'second_factor' })
  stage!: LoginFlowStage;

  /** When the second step of this flow succeeded (kept for the initial-password stage). */
  @Column({ name: 'second_factor_at', type: 'timestamptz', nullable: true })
  secondFactorAt!: Date | null;

  @Column({ name: 'second_factor_method', type: 'text', nullable: true })
  secondFactorMethod!: string | null;

  /** The browser name given with "trust this browser" at verify, for the end of the flow (AUTH-9). */
  @Column({ name: 'trust_browser_name', type: 'text', nullable: true })
  trustBrowserName!: string | null;
}
