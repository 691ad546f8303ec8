import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * AUTH-3: `failures` counts tries as they are reserved (before the hash is checked), so concurrent
 * attempts cannot get more than 5 through. `settled_failures` counts the ones that came back wrong,
 * so exactly one of them — the 5th — reports that it locked the ID (one `locked_out` audit event).
 */
export class AddLoginThrottleSettledFailures1763769600001 implements MigrationInterface {
  name = 'AddLoginThrottleSettledFailures1763769600001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE auth.login_throttle ADD COLUMN settled_failures integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE auth.login_throttle DROP COLUMN settled_failures`);
  }
}
