import { MigrationInterface, QueryRunner } from 'typeorm';

/** Entries written in one transaction share their time: a sequence keeps them in writing order. */
export class ActivityWriteOrder1764633600001 implements MigrationInterface {
  name = 'ActivityWriteOrder1764633600001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_management.case_activity ADD COLUMN seq bigserial`);
    await q.query(`DROP INDEX case_management.case_activity_case`);
    await q.query(`CREATE INDEX case_activity_case ON case_management.case_activity (case_id, at, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX case_management.case_activity_case`);
    await q.query(`CREATE INDEX case_activity_case ON case_management.case_activity (case_id, at)`);
    await q.query(`ALTER TABLE case_management.case_activity DROP COLUMN seq`);
  }
}
