import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A used refresh token remembers its successor (its id, and the token itself sealed with the data
 * encryption key), so a client that raced itself within the reuse grace gets the same successor
 * again instead of ending its own session.
 */
export class RefreshTokenSuccessor1764720000310 implements MigrationInterface {
  name = 'RefreshTokenSuccessor1764720000310';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE auth.refresh_token ADD COLUMN successor_id uuid, ADD COLUMN successor_sealed text`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE auth.refresh_token DROP COLUMN successor_id, DROP COLUMN successor_sealed`);
  }
}
