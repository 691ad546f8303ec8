import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Saved filters (CASE-8). A name is unique among a user's private filters and among a tenant's
 * shared ones, which is what makes "the same name and visibility overwrites" one statement.
 */
export class SavedCaseFilters1764633600003 implements MigrationInterface {
  name = 'SavedCaseFilters1764633600003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE case_management.case_filter (
      id uuid PRIMARY KEY,
      tenant_number text NOT NULL,
      owner_id uuid NOT NULL,
      owner_name text NOT NULL,
      name text NOT NULL,
      visibility text NOT NULL CHECK (visibility IN ('private', 'tenant')),
      view text NOT NULL,
      q text,
      filter text,
      sort text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL)`);
    await q.query(`CREATE UNIQUE INDEX case_filter_private_name ON case_management.case_filter
      (tenant_number, owner_id, name) WHERE visibility = 'private'`);
    await q.query(`CREATE UNIQUE INDEX case_filter_tenant_name ON case_management.case_filter
      (tenant_number, name) WHERE visibility = 'tenant'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_management.case_filter`);
  }
}
