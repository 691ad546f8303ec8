import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type PushRequestStatus = 'pending' | 'approved' | 'denied';

/**
 * One approval request of a login or step-up flow (AUTH-13): the number the login screen shows, the
 * three numbers the app offers (stable across the app's polls), and the app's decision. A verify
 * consumes it, so one approval completes one login.
 */
@Entity({ name: 'push_request' })
export class PushRequest {
  @PrimaryColumn('uuid')
  id!: string;

  @Index()
  @Column('uuid', { name: 'flow_id' })
  flowId!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column({ name: 'match_number', type: 'smallint' })
  matchNumber!: number;

  @Column({ type: 'smallint', array: true })
  candidates!: number[];

  @Column({ type: 'text', default: 'pending' })
  status!: PushRequestStatus;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  /** The approver app that decided. */
  @Column('uuid', { name: 'decided_by', nullable: true })
  decidedBy!: string | null;

  /** Set by the verify that used the decision. */
  @Column({ name: 'consumed_at', type: 'timestamptz', nullable: true })
  consumedAt!: Date | null;
}
