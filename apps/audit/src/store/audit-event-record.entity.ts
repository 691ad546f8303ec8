import { Column, Entity, PrimaryColumn } from 'typeorm';
import { AuditActor, AuditOutcome } from '@app/contracts';

/**
 * One stored fact of the audit trail (AUDIT-2) with its link in the hash chain (AUDIT-3). Inserted
 * only by AuditEventRepository.append, never updated or deleted (a trigger refuses both).
 */
@Entity({ name: 'event' })
export class AuditEventRecord {
  /**
   * Position in the hash chain, set by AuditEventRepository.appendBatch (the head's plus one);
   * rows stored before batched ingest may have gaps (they took numbers from a sequence).
   */
  @Column({ type: 'bigint', unique: true, insert: false, update: false })
  seq!: string;

  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  type!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column('jsonb')
  actor!: AuditActor;

  @Column({ type: 'jsonb', nullable: true })
  target!: { type: string; id: string } | null;

  @Column('text')
  outcome!: AuditOutcome;

  @Column({ type: 'text', array: true })
  reasons!: string[];

  @Column({ name: 'correlation_id', type: 'text' })
  correlationId!: string;

  /** Every tenant whose admins may see the fact (the event's tenants and the actor's tenant). */
  @Column({ type: 'text', array: true })
  tenants!: string[];

  /** actor.userId, as a column so that "events of this user" is an index lookup. */
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash!: string;

  @Column('text')
  hash!: string;
}
