import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CASE-8 keyword search: the folded text of each case (subject, description, comments) and its
 * 2-character grams, computed by the service (search-text.util.ts), under a GIN index. Core
 * PostgreSQL only, and independent of the database's LC_CTYPE.
 */
export class CaseKeywordSearch1764633600002 implements MigrationInterface {
  name = 'CaseKeywordSearch1764633600002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_management.case_record
      ADD COLUMN search_text text NOT NULL DEFAULT '',
      ADD COLUMN search_grams text[] NOT NULL DEFAULT '{}'`);
    await q.query(`CREATE INDEX case_search_grams ON case_management.case_record USING gin (search_grams)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX case_management.case_search_grams`);
    await q.query(
      `ALTER TABLE case_management.case_record DROP COLUMN search_text, DROP COLUMN search_grams`,
    );
  }
}
