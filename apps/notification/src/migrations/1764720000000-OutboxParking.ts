import { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxParkingSql, dropOutboxParkingSql } from '@app/database';

/** Outbox rows JetStream keeps refusing are parked after a number of attempts, not retried forever. */
export class OutboxParking1764720000000 implements MigrationInterface {
  name = 'OutboxParking1764720000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of createOutboxParkingSql('notification')) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of dropOutboxParkingSql('notification')) {
      await q.query(sql);
    }
  }
}
