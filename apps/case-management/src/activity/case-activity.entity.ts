import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ActivityKind = 'comment' | 'system';
export type AuthorRole = 'customer' | 'operator' | 'integration';

/** A comment or a system entry on a case (CASE-6). */
@Entity({ name: 'case_activity' })
export class CaseActivity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  /** The case's tenant, so activity is scoped (and searched) without a join to the case. */
  @Column({ name: 'tenant_number' })
  tenantNumber!: string;

  @Column({ type: 'text' })
  kind!: ActivityKind;

  @Column({ name: 'author_id', type: 'uuid', nullable: true })
  authorId!: string | null;

  @Column({ name: 'author_name', type: 'text', nullable: true })
  authorName!: string | null;

  @Column({ name: 'author_role', type: 'text', nullable: true })
  authorRole!: AuthorRole | null;

  /** Sanitised HTML of a comment. */
  @Column({ type: 'text', nullable: true })
  body!: string | null;

  /** A system entry's event: `created`, `status_changed`, `attachment_added`, …. */
  @Column({ type: 'text', nullable: true })
  event!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  data!: Record<string, unknown> | null;

  @Column({ type: 'timestamptz' })
  at!: Date;

  /** Order of writing, for entries of one instant (a status change and its comment). */
  @Column({ type: 'bigint', insert: false, update: false, select: false })
  seq?: string;
}
