import { AuditOutcome, LoginHistoryEvent, LoginHistoryMethod } from '@app/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row of the login history (AUTH-22), made from the audit event of the same id in the transaction
 * that recorded it. Rows of unknown IDs keep a null user and are shown to no one.
 */
@Entity({ name: 'login_history' })
export class LoginHistoryEntry {
  /** The audit event's id. */
  @PrimaryColumn('uuid')
  id!: string;

  /** Insertion order, for rows of the same instant; set by the database. */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  /** Every tenant the user was in at the time: each of their admins sees the row. */
  @Column({ type: 'text', array: true, default: () => `'{}'` })
  tenants!: string[];

  @Column({ type: 'text' })
  event!: LoginHistoryEvent;

  @Column({ type: 'text', nullable: true })
  method!: LoginHistoryMethod | null;

  @Column({ type: 'text' })
  result!: AuditOutcome;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  reasons!: string[];

  @Column({ type: 'text', nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent!: string | null;

  @Column({ name: 'target_type', type: 'text', nullable: true })
  targetType!: string | null;

  @Column({ name: 'target_id', type: 'text', nullable: true })
  targetId!: string | null;

  /** The request that wrote it: the rows of one login share it. */
  @Column({ name: 'correlation_id', type: 'text' })
  correlationId!: string;
}
