import { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxNotifyTriggerSql, dropOutboxNotifyTriggerSql } from '@app/database';

/** The outbox wakes its relay by trigger instead of a pg_notify round trip per event. */
export class OutboxNotifyTrigger1763769600070 implements MigrationInterface {
  name = 'OutboxNotifyTrigger1763769600070';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of createOutboxNotifyTriggerSql('auth')) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of dropOutboxNotifyTriggerSql('auth')) {
      await q.query(sql);
    }
  }
}
