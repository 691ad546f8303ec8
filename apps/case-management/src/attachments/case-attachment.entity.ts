import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An attachment of a case (CASE-6), or of a work request until its case adopts it (CASE-7). Reserved (key only) when its upload begins, committed with what
 * the gateway measured once the bytes are stored; the bytes are in the AttachmentStore under
 * `storageKey`, a key made of ids.
 */
@Entity({ name: 'case_attachment' })
export class CaseAttachment {
  @PrimaryColumn('uuid')
  id!: string;

  /** Null while the attachment belongs to a work request not yet accepted (CASE-7). */
  @Column({ name: 'case_id', type: 'uuid', nullable: true })
  caseId!: string | null;

  /** The work request it was added to (CASE-7); it keeps this when the request's case adopts it. */
  @Column({ name: 'work_request_id', type: 'uuid', nullable: true })
  workRequestId!: string | null;

  @Column({ name: 'tenant_number' })
  tenantNumber!: string;

  @Column({ name: 'storage_key' })
  storageKey!: string;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ type: 'bigint', nullable: true })
  size!: string | null;

  @Column({ type: 'text', nullable: true })
  sha256!: string | null;

  @Column({ name: 'content_type', type: 'text', nullable: true })
  contentType!: string | null;

  @Column({ name: 'uploaded_by_id', type: 'uuid' })
  uploadedById!: string;

  @Column({ name: 'uploaded_by_name' })
  uploadedByName!: string;

  @Column({ name: 'uploaded_by_role', type: 'text' })
  uploadedByRole!: 'customer' | 'operator';

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'committed_at', type: 'timestamptz', nullable: true })
  committedAt!: Date | null;

  @Column({ name: 'sweeping_at', type: 'timestamptz', nullable: true })
  sweepingAt!: Date | null;
}
