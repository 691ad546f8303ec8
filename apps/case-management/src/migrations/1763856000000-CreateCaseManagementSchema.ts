import { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTableSql, dropOutboxTableSql } from '@app/database';

/** The outbox first, so every case change can record its fact in the same transaction (AUDIT-1). */
export class CreateCaseManagementSchema1763856000000 implements MigrationInterface {
  name = 'CreateCaseManagementSchema1763856000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of createOutboxTableSql('case_management')) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of dropOutboxTableSql('case_management')) {
      await q.query(sql);
    }
  }
}
