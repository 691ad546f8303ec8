import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Authenticator apps (AUTH-8): one TOTP credential per user, its secret encrypted (SecretBox), enabled
 * only after one valid code, with the last accepted time step for replay protection.
 * App approval (AUTH-13): the user's approver apps (token kept as HMAC) and the approval requests of
 * login and step-up flows, each with its number to match.
 */
export class TotpAndPush1763769600060 implements MigrationInterface {
  name = 'TotpAndPush1763769600060';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE auth.totp_credential (
         user_id uuid PRIMARY KEY REFERENCES auth.app_user(id) ON DELETE CASCADE,
         secret_enc text NOT NULL,
         created_at timestamptz NOT NULL,
         enabled_at timestamptz,
         last_used_step bigint)`,
    );
    await q.query(
      `CREATE TABLE auth.push_approver (
         id uuid PRIMARY KEY,
         user_id uuid NOT NULL REFERENCES auth.app_user(id) ON DELETE CASCADE,
         name text NOT NULL,
         token_hmac text NOT NULL UNIQUE,
         created_at timestamptz NOT NULL,
         last_used_at timestamptz,
         revoked_at timestamptz)`,
    );
    await q.query(
      `CREATE INDEX push_approver_user_live_idx ON auth.push_approver (user_id) WHERE revoked_at IS NULL`,
    );
    await q.query(
      `CREATE TABLE auth.push_request (
         id uuid PRIMARY KEY,
         flow_id uuid NOT NULL REFERENCES auth.login_flow(id) ON DELETE CASCADE,
         user_id uuid NOT NULL REFERENCES auth.app_user(id) ON DELETE CASCADE,
         match_number smallint NOT NULL CHECK (match_number BETWEEN 10 AND 99),
         candidates smallint[] NOT NULL,
         status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied')),
         created_at timestamptz NOT NULL,
         expires_at timestamptz NOT NULL,
         decided_at timestamptz,
         decided_by uuid REFERENCES auth.push_approver(id),
         consumed_at timestamptz)`,
    );
    await q.query(`CREATE INDEX push_request_flow_idx ON auth.push_request (flow_id, created_at DESC)`);
    await q.query(
      `CREATE INDEX push_request_user_pending_idx ON auth.push_request (user_id, expires_at) WHERE status = 'pending'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE auth.push_request`);
    await q.query(`DROP TABLE auth.push_approver`);
    await q.query(`DROP TABLE auth.totp_credential`);
  }
}
