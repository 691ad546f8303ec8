import { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxNotifyTriggerSql, dropOutboxNotifyTriggerSql } from '@app/database';

/** The outbox wakes its relay by trigger instead of a pg_notify round trip per event. */
export class OutboxNotifyTrigger1763856000001 implements MigrationInterface {
  name = 'OutboxNotifyTrigger1763856000001';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of createOutboxNotifyTriggerSql('notification')) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of dropOutboxNotifyTriggerSql('notification')) {
      await q.query(sql);
    }
  }
}
