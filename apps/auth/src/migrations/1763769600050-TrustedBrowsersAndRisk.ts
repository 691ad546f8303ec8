import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Trusted browsers (AUTH-9), the tenant's trusted-browser time, and what the risk check remembers
 * of a user's successful logins (AUTH-11).
 */
export class TrustedBrowsersAndRisk1763769600050 implements MigrationInterface {
  name = 'TrustedBrowsersAndRisk1763769600050';

  async up(q: QueryRunner): Promise<void> {
    // AUTH-9: a tenant may let browsers stay trusted up to 90 days; null is the platform default.
    await q.query(
      `ALTER TABLE auth.tenant ADD COLUMN trusted_browser_ttl_seconds integer
         CONSTRAINT tenant_trusted_browser_ttl_check CHECK (trusted_browser_ttl_seconds BETWEEN 1 AND 7776000)`,
    );
    await q.query(
      `CREATE TABLE auth.trusted_browser (
         id uuid PRIMARY KEY,
         user_id uuid NOT NULL REFERENCES auth.app_user(id),
         token_hmac text NOT NULL CONSTRAINT trusted_browser_token_hmac_key UNIQUE,
         name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
         credential_version integer NOT NULL,
         created_at timestamptz NOT NULL,
         last_used_at timestamptz,
         expires_at timestamptz NOT NULL,
         revoked_at timestamptz,
         user_agent text,
         ip text)`,
    );
    await q.query(`CREATE INDEX trusted_browser_user_idx ON auth.trusted_browser (user_id)`);
    // A password reset, an MFA reset and "log out everywhere" bump the credential version, which
    // voids every trusted browser of the user (AUTH-9). Login checks the version itself; this
    // trigger also marks the rows revoked, so that whoever counts live rows (`revoked_at IS NULL
    // AND expires_at > now`) never counts a voided one, whichever code path did the bump.
    await q.query(
      `CREATE FUNCTION auth.trusted_browser_void_on_credential_change() RETURNS trigger
       LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE auth.trusted_browser SET revoked_at = now()
          WHERE user_id = NEW.id AND revoked_at IS NULL AND credential_version <> NEW.credential_version;
         RETURN NEW;
       END $$`,
    );
    await q.query(
      `CREATE TRIGGER app_user_credential_version_voids_trusted_browsers
         AFTER UPDATE OF credential_version ON auth.app_user
         FOR EACH ROW WHEN (NEW.credential_version IS DISTINCT FROM OLD.credential_version)
         EXECUTE FUNCTION auth.trusted_browser_void_on_credential_change()`,
    );
    // AUTH-11: the devices (normalised user agent) and networks (IPv4 /24, IPv6 /48) a user has
    // logged in from, as keyed HMACs only: the raw values live in the sessions already.
    await q.query(
      `CREATE TABLE auth.login_fingerprint (
         user_id uuid NOT NULL REFERENCES auth.app_user(id),
         kind text NOT NULL CHECK (kind IN ('device', 'network')),
         value_hmac text NOT NULL,
         first_seen timestamptz NOT NULL,
         last_seen timestamptz NOT NULL,
         PRIMARY KEY (user_id, kind, value_hmac))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE auth.login_fingerprint`);
    await q.query(`DROP TRIGGER app_user_credential_version_voids_trusted_browsers ON auth.app_user`);
    await q.query(`DROP FUNCTION auth.trusted_browser_void_on_credential_change()`);
    await q.query(`DROP TABLE auth.trusted_browser`);
    await q.query(`ALTER TABLE auth.tenant DROP COLUMN trusted_browser_ttl_seconds`);
  }
}
