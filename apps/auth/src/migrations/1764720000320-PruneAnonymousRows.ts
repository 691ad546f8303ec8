import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the pruner of rows made by anonymous calls needs: when a lockout or reset-guard count was
 * last moved (the injected clock's time, set by the statements that count), and indexes to find
 * expired login flows and reset links by age.
 */
export class PruneAnonymousRows1764720000320 implements MigrationInterface {
  name = 'PruneAnonymousRows1764720000320';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE auth.login_throttle ADD COLUMN touched_at timestamptz`);
    await q.query(`ALTER TABLE auth.password_reset_guard ADD COLUMN touched_at timestamptz`);
    await q.query(`CREATE INDEX login_flow_expires_idx ON auth.login_flow (expires_at)`);
    await q.query(`CREATE INDEX password_reset_token_expires_idx ON auth.password_reset_token (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX auth.password_reset_token_expires_idx`);
    await q.query(`DROP INDEX auth.login_flow_expires_idx`);
    await q.query(`ALTER TABLE auth.password_reset_guard DROP COLUMN touched_at`);
    await q.query(`ALTER TABLE auth.login_throttle DROP COLUMN touched_at`);
  }
}
