import { MigrationInterface, QueryRunner } from 'typeorm';

/** Passkeys (AUTH-10) and the server-side WebAuthn challenges they are registered and used with. */
export class Passkeys1763769600040 implements MigrationInterface {
  name = 'Passkeys1763769600040';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE auth.passkey (
         id uuid PRIMARY KEY,
         user_id uuid NOT NULL REFERENCES auth.app_user(id),
         credential_id text NOT NULL CONSTRAINT passkey_credential_id_key UNIQUE,
         public_key bytea NOT NULL,
         counter bigint NOT NULL DEFAULT 0 CHECK (counter >= 0),
         transports text[] NOT NULL DEFAULT '{}',
         name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
         created_at timestamptz NOT NULL,
         last_used_at timestamptz)`,
    );
    await q.query(`CREATE INDEX passkey_user_idx ON auth.passkey (user_id)`);
    await q.query(
      `CREATE TABLE auth.webauthn_challenge (
         id uuid PRIMARY KEY,
         user_id uuid REFERENCES auth.app_user(id),
         purpose text NOT NULL CHECK (purpose IN ('registration', 'login')),
         names_user boolean NOT NULL DEFAULT false,
         challenge text NOT NULL CONSTRAINT webauthn_challenge_challenge_key UNIQUE,
         created_at timestamptz NOT NULL,
         expires_at timestamptz NOT NULL,
         used_at timestamptz)`,
    );
    // Expired challenges are swept by age.
    await q.query(`CREATE INDEX webauthn_challenge_expires_idx ON auth.webauthn_challenge (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE auth.webauthn_challenge`);
    await q.query(`DROP TABLE auth.passkey`);
  }
}
