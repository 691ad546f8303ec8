import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Login history (AUTH-22): one row per login attempt, second step, session start and end, kept from
 * the audit facts in the transaction that records them. `seq` orders rows written in the same
 * instant (a login's success and its session start share one timestamp). A user reads by
 * (user_id, time); a tenant admin by tenant, through the GIN index on the tenants the fact concerned.
 */
export class LoginHistory1763769600030 implements MigrationInterface {
  name = 'LoginHistory1763769600030';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE auth.login_history (
         id uuid PRIMARY KEY,
         seq bigserial NOT NULL,
         occurred_at timestamptz NOT NULL,
         user_id uuid,
         tenants text[] NOT NULL DEFAULT '{}',
         event text NOT NULL,
         method text,
         result text NOT NULL,
         reasons text[] NOT NULL DEFAULT '{}',
         ip text,
         user_agent text,
         target_type text,
         target_id text,
         correlation_id text NOT NULL
       )`,
    );
    await q.query(
      `CREATE INDEX login_history_user_idx ON auth.login_history (user_id, occurred_at DESC, seq DESC)
       WHERE user_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX login_history_tenants_idx ON auth.login_history USING gin (tenants)`);
    await q.query(`CREATE INDEX login_history_time_idx ON auth.login_history (occurred_at DESC, seq DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE auth.login_history`);
  }
}
