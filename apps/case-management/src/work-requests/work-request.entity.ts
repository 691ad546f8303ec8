import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Language, WorkRequestStatus } from '@app/contracts';
import { FormField } from './work-request-item.entity';

/** A value as a request keeps it: a string (text, textarea, select, date) or a number. */
export type Answer = string | number;

/**
 * A customer's work request (CASE-7). It keeps the item's names and form as they were when it was
 * submitted, so what the customer asked for reads the same after the item changes.
 */
@Entity({ name: 'work_request' })
export class WorkRequest {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_number' })
  tenantNumber!: string;

  @Column({ name: 'item_id', type: 'uuid' })
  itemId!: string;

  @Column({ name: 'item_code' })
  itemCode!: string;

  @Column({ name: 'item_name_ja' })
  itemNameJa!: string;

  @Column({ name: 'item_name_en' })
  itemNameEn!: string;

  @Column({ name: 'service_code' })
  serviceCode!: string;

  @Column({ type: 'jsonb' })
  form!: FormField[];

  /** Field key → the value submitted; fields left out are absent. */
  @Column({ type: 'jsonb' })
  answers!: Record<string, Answer>;

  @Column({ name: 'requester_id', type: 'uuid' })
  requesterId!: string;

  @Column({ name: 'requester_name' })
  requesterName!: string;

  /** The requester's language when submitting: the case's subject is the item's name in it. */
  @Column({ name: 'requester_language', type: 'text' })
  requesterLanguage!: Language;

  @Column({ type: 'text' })
  status!: WorkRequestStatus;

  @Column({ name: 'submitted_at', type: 'timestamptz' })
  submittedAt!: Date;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy!: string | null;

  /** Why it was rejected; shown to the customer. */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'case_id', type: 'uuid', nullable: true })
  caseId!: string | null;

  @Column({ name: 'case_number', type: 'text', nullable: true })
  caseNumber!: string | null;
}
