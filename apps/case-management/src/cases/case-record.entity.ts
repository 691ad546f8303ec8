import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CaseStatus } from '@app/contracts';

/** Who opened a case: only customers' inquiries count for the one-open-inquiry rule (CASE-4). */
export type CaseOrigin = 'customer' | 'operator' | 'integration' | 'work_request';

/** A case (CASE-2). Table `case_record`: `case` is a reserved word in SQL. */
@Entity({ name: 'case_record' })
export class CaseRecord {
  @PrimaryColumn('uuid')
  id!: string;

  /** `CS` + 7 digits from the sequence `case_number_seq`. */
  @Column()
  number!: string;

  @Column({ name: 'tenant_number' })
  tenantNumber!: string;

  @Column()
  contractor!: string;

  @Column({ name: 'service_code' })
  serviceCode!: string;

  @Column({ name: 'category_code' })
  categoryCode!: string;

  @Column()
  subject!: string;

  /** Sanitised HTML (CASE-6). */
  @Column()
  description!: string;

  @Column({ type: 'text' })
  origin!: CaseOrigin;

  /** Null for integration and operator cases (CASE-2). */
  @Column({ name: 'requester_id', type: 'uuid', nullable: true })
  requesterId!: string | null;

  /** The requester's name when the case was opened. */
  @Column({ name: 'requester_name', type: 'text', nullable: true })
  requesterName!: string | null;

  @Column({ type: 'text' })
  status!: CaseStatus;

  /** A customer's inquiry outside category fault: at most one open per tenant and service (CASE-4). */
  @Column({ name: 'counts_as_inquiry' })
  countsAsInquiry!: boolean;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}
