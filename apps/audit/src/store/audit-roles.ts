/**
 * The PostgreSQL role the audit service runs as (AUDIT-3) holds this group role and nothing else: it
 * may INSERT and SELECT the trail, never UPDATE, DELETE or TRUNCATE it, and owns nothing, so it can
 * neither switch the guard triggers off nor drop them nor hand the table to another owner. The group
 * has no login; a deployment creates a login role per environment and grants it this group, because
 * roles are cluster-wide and several databases (environments, test runs) may share one server.
 */
export const AUDIT_WRITER_ROLE = 'mamori_audit_writer';
