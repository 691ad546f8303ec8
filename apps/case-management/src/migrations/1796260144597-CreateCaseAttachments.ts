import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attachments of cases (CASE-6). A row is written when an upload begins (its key reserved, nothing
 * committed) and completed when the bytes are stored; a row that never completes is an orphan the
 * sweep removes with its bytes. `sweeping_at` marks a row the sweep has claimed, so a late commit
 * cannot revive bytes that are being deleted.
 */
export class CreateCaseAttachments1796260144597 implements MigrationInterface {
  name = 'CreateCaseAttachments1796260144597';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE case_management.case_attachment (
      id uuid PRIMARY KEY,
      case_id uuid NOT NULL REFERENCES case_management.case_record (id),
      tenant_number text NOT NULL,
      storage_key text NOT NULL UNIQUE,
      name text,
      size bigint,
      sha256 text,
      content_type text,
      uploaded_by_id uuid NOT NULL,
      uploaded_by_name text NOT NULL,
      uploaded_by_role text NOT NULL CHECK (uploaded_by_role IN ('customer', 'operator')),
      created_at timestamptz NOT NULL,
      committed_at timestamptz,
      sweeping_at timestamptz,
      CHECK (committed_at IS NULL OR (name IS NOT NULL AND size IS NOT NULL AND sha256 IS NOT NULL
        AND content_type IS NOT NULL AND sweeping_at IS NULL)))`);
    await q.query(`CREATE INDEX case_attachment_case ON case_management.case_attachment (case_id, committed_at)
      WHERE committed_at IS NOT NULL`);
    await q.query(`CREATE INDEX case_attachment_pending ON case_management.case_attachment (created_at)
      WHERE committed_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_management.case_attachment`);
  }
}
