import { MigrationInterface, QueryRunner } from 'typeorm';

const S = 'case_management';

/**
 * Work requests (CASE-7): the operators' catalogue of items with a form each, and the customers'
 * requests. A request keeps the item's names and form as they were when it was submitted, so an
 * item edited later does not change what a customer asked for. A request's files are case
 * attachments rows that name the request instead of a case until it is accepted; accepting points
 * them at the new case, so the bytes are never copied.
 */
export class CreateWorkRequests1796270000000 implements MigrationInterface {
  name = 'CreateWorkRequests1796270000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ${S}.work_request_item (
      id uuid PRIMARY KEY,
      code text NOT NULL UNIQUE,
      name_ja text NOT NULL,
      name_en text NOT NULL,
      description_ja text NOT NULL,
      description_en text NOT NULL,
      service_code text NOT NULL REFERENCES ${S}.service (code),
      fields jsonb NOT NULL,
      active boolean NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL)`);
    await q.query(`CREATE TABLE ${S}.work_request (
      id uuid PRIMARY KEY,
      tenant_number text NOT NULL,
      item_id uuid NOT NULL REFERENCES ${S}.work_request_item (id),
      item_code text NOT NULL,
      item_name_ja text NOT NULL,
      item_name_en text NOT NULL,
      service_code text NOT NULL,
      form jsonb NOT NULL,
      answers jsonb NOT NULL,
      requester_id uuid NOT NULL,
      requester_name text NOT NULL,
      requester_language text NOT NULL CHECK (requester_language IN ('ja', 'en')),
      status text NOT NULL CHECK (status IN ('submitted', 'accepted', 'rejected')),
      submitted_at timestamptz NOT NULL,
      decided_at timestamptz,
      decided_by uuid,
      reason text,
      case_id uuid UNIQUE REFERENCES ${S}.case_record (id),
      case_number text,
      CHECK ((status = 'submitted') = (decided_at IS NULL)),
      CHECK (status <> 'accepted' OR (case_id IS NOT NULL AND case_number IS NOT NULL)),
      CHECK (status <> 'rejected' OR reason IS NOT NULL))`);
    await q.query(`CREATE INDEX work_request_tenant ON ${S}.work_request (tenant_number, submitted_at DESC)`);
    await q.query(`CREATE INDEX work_request_status ON ${S}.work_request (status, submitted_at)`);
    await q.query(`ALTER TABLE ${S}.case_attachment
      ALTER COLUMN case_id DROP NOT NULL,
      ADD COLUMN work_request_id uuid REFERENCES ${S}.work_request (id),
      ADD CONSTRAINT case_attachment_owner CHECK (case_id IS NOT NULL OR work_request_id IS NOT NULL)`);
    await q.query(`CREATE INDEX case_attachment_work_request ON ${S}.case_attachment (work_request_id)
      WHERE work_request_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM ${S}.case_attachment WHERE case_id IS NULL`);
    await q.query(`DROP INDEX ${S}.case_attachment_work_request`);
    await q.query(`ALTER TABLE ${S}.case_attachment
      DROP CONSTRAINT case_attachment_owner,
      DROP COLUMN work_request_id,
      ALTER COLUMN case_id SET NOT NULL`);
    await q.query(`DROP TABLE ${S}.work_request`);
    await q.query(`DROP TABLE ${S}.work_request_item`);
  }
}
