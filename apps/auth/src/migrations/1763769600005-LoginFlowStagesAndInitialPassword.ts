import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Login flows gain a stage (the initial authentication password comes after the second step,
 * AUTH-14) and what the second step left for the end of the flow; initial passwords get their table.
 */
export class LoginFlowStagesAndInitialPassword1763769600005 implements MigrationInterface {
  name = 'LoginFlowStagesAndInitialPassword1763769600005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE auth.login_flow
         ADD COLUMN stage text NOT NULL DEFAULT 'second_factor'
           CHECK (stage IN ('second_factor', 'initial_password')),
         ADD COLUMN second_factor_at timestamptz,
         ADD COLUMN second_factor_method text,
         ADD COLUMN trust_browser_name text`,
    );
    await q.query(`CREATE INDEX session_user_live_idx ON auth.session (user_id) WHERE revoked_at IS NULL`);
    await q.query(
      `CREATE TABLE auth.initial_password (
         user_id uuid PRIMARY KEY REFERENCES auth.app_user(id),
         password_hash text NOT NULL,
         created_by uuid,
         created_at timestamptz NOT NULL,
         used_at timestamptz)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE auth.initial_password`);
    await q.query(`DROP INDEX auth.session_user_live_idx`);
    await q.query(
      `ALTER TABLE auth.login_flow DROP COLUMN stage, DROP COLUMN second_factor_at,
         DROP COLUMN second_factor_method, DROP COLUMN trust_browser_name`,
    );
  }
}
