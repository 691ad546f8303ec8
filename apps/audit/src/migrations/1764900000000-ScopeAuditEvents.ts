import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fact types whose facts belong to every tenant of the account (AUDIT_EVENT_SCOPES, issue 16), as
 * they were when this migration was written: a migration must give the same table whenever it runs.
 */
const ACCOUNT_TYPES = [
  'auth.login.locked_out',
  'auth.password_reset.requested',
  'auth.password_reset.refused',
  'auth.password_reset.blocked',
  'auth.password_reset.completed',
  'auth.trusted_browser.added',
  'auth.trusted_browser.revoked',
  'auth.totp.enrolment_started',
  'auth.totp.enabled',
  'auth.totp.disabled',
  'auth.passkey.registered',
  'auth.passkey.renamed',
  'auth.passkey.deleted',
  'auth.push.approver_registered',
  'auth.push.approver_removed',
  'auth.password.changed',
  'auth.profile.updated',
  'auth.mfa.sms_disabled',
  'auth.mfa.reset',
  'auth.mfa.reset_refused',
  'notification.message.sent',
  'notification.message.failed',
  'notification.message.expired',
  'case-management.integration.created',
  'case-management.integration.revoked',
];

/**
 * Issue 16: a tenant's trail shows only the facts that belong to that tenant. Before it, writers
 * tagged a fact with every tenant of the user it was about, so one tenant's admin read what another
 * tenant's admin did to a shared user. Writers now tag each fact with its scope (`tenants`), and the
 * stored facts are re-tagged here where the fact itself tells which tenant acted: a fact with an
 * acting tenant (`actor.tenant`) that is not an account-wide one belongs to that tenant alone.
 *
 * The tag is `visible_to`, a column PostgreSQL computes from the hashed fields (type, actor,
 * tenants) and stores; it is not itself hashed, so the hash chain of every stored record is
 * unchanged and `audit:verify` still passes. Nothing is updated: adding a generated column rewrites
 * the table without firing the append-only triggers, and no role can write the column afterwards.
 * Being computed from the hashed fields, the tag is as tamper-evident as they are, and it can only
 * narrow `tenants`, never name a tenant the producer did not. For facts written from now on it
 * equals `tenants`, which the writers already scoped.
 */
export class ScopeAuditEvents1764900000000 implements MigrationInterface {
  name = 'ScopeAuditEvents1764900000000';

  async up(q: QueryRunner): Promise<void> {
    const accountTypes = ACCOUNT_TYPES.map((t) => `'${t}'`).join(', ');
    const statements = [
      `CREATE FUNCTION audit.event_visible_to(type text, actor jsonb, tenants text[]) RETURNS text[]
         LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
           SELECT CASE
             WHEN actor->>'tenant' IS NOT NULL
               AND actor->>'tenant' = ANY (tenants)
               AND NOT (type = ANY (ARRAY[${accountTypes}]::text[]))
             THEN ARRAY[actor->>'tenant']
             ELSE tenants
           END
         $$`,
      `ALTER TABLE audit.event ADD COLUMN visible_to text[] NOT NULL
         GENERATED ALWAYS AS (audit.event_visible_to(type, actor, tenants)) STORED`,
      // A tenant's admins read by `visible_to @> ARRAY[$tenant]`; operators reading a tenant still
      // read by `tenants`, whose index stays.
      `CREATE INDEX event_visible_to_gin_idx ON audit.event USING gin (visible_to)`,
    ];
    for (const sql of statements) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of [
      `CREATE INDEX IF NOT EXISTS event_tenants_gin_idx ON audit.event USING gin (tenants)`,
      `DROP INDEX IF EXISTS audit.event_visible_to_gin_idx`,
      `ALTER TABLE audit.event DROP COLUMN visible_to`,
      `DROP FUNCTION audit.event_visible_to(text, jsonb, text[])`,
    ]) {
      await q.query(sql);
    }
  }
}
