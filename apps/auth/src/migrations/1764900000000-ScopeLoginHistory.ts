import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 16: a tenant admin's login history (AUTH-22) shows only rows that belong to the tenant.
 * New rows are tagged from their audit fact's scope (AUDIT_EVENT_SCOPES through OutboxWriter); rows
 * written before were tagged with every tenant of the user. A row does not keep the tenant its
 * session acted in, so only the rows whose session tells it are re-tagged: the end of a session
 * (logout, timeout, revocation) belongs to the tenant that ended session was last acting in. Other
 * rows (logins, codes, step-ups of before) keep every tenant of the user; logins and codes before a
 * tenant is chosen are account facts that every tenant of the user sees anyway.
 */
export class ScopeLoginHistory1764900000000 implements MigrationInterface {
  name = 'ScopeLoginHistory1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE auth.login_history h SET tenants = ARRAY[s.active_tenant]
         FROM auth.session s
        WHERE h.event IN ('session_end', 'logout')
          AND h.target_type = 'session'
          AND h.target_id = s.id::text
          AND s.revoked_at IS NOT NULL
          AND s.active_tenant = ANY (h.tenants)
          AND cardinality(h.tenants) > 1`,
    );
  }

  async down(): Promise<void> {
    // The tags removed were an over-sharing, not data: nothing to put back.
  }
}
