import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An attachment of a case (CASE-6). Reserved (key only) when its upload begins, committed with what
 * the gateway measured once the bytes are stored; the bytes are in the AttachmentStore under
 * `storageKey`, a key made of ids.
 */
@Entity({ name: 'case_attachment' })
export class CaseAttachment {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

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
