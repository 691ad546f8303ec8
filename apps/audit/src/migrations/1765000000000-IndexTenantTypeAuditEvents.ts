import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A tenant's query by type (prefix), newest first, bounded by the rows it matches (AUDIT-4).
 *
 * Before it, such a query had the GIN index on `visible_to` (every row of the tenant) and
 * `event_occurred_at_idx` (every row, newest first). When the planner expected matches it walked
 * the latter, filtering row by row: for a type the tenant has no row of, that is every row of every
 * partition (seconds at millions of rows), however few the tenant's rows are.
 *
 * - `event_tenant_type_idx` keys a fact tagged for one tenant (almost all: the acting tenant's
 *   facts) by `<tenant> <type>` in byte order (`COLLATE "C"`), so a tenant and a type prefix are one
 *   range of it (`AuditEventQueryRepository.page`): a type the tenant lacks is an empty range.
 * - `event_shared_visible_to_gin_idx` holds the facts tagged for several tenants (account-level
 *   facts), which the query takes by their tag: those of the tenant, whatever their type.
 * - `event_type_idx` (type, occurred_at) is dropped: every read of the trail names a tenant, and
 *   none used it (a prefix cannot use it outside the "C" collation); one index less to keep up on
 *   every insert, for the one added.
 *
 * Building them holds inserts into the trail back until they are built (PostgreSQL 15 cannot build a
 * partitioned table's index CONCURRENTLY): ingest waits meanwhile and the stream keeps the events, so
 * nothing is lost, but over a large trail this belongs in a quiet hour.
 */
export class IndexTenantTypeAuditEvents1765000000000 implements MigrationInterface {
  name = 'IndexTenantTypeAuditEvents1765000000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [
      `CREATE INDEX event_tenant_type_idx ON audit.event
         (((visible_to[1] || ' ' || type) COLLATE "C"), occurred_at DESC)
         WHERE cardinality(visible_to) = 1`,
      `CREATE INDEX event_shared_visible_to_gin_idx ON audit.event USING gin (visible_to)
         WHERE cardinality(visible_to) > 1`,
      `DROP INDEX audit.event_type_idx`,
    ]) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of [
      `CREATE INDEX event_type_idx ON audit.event (type, occurred_at DESC)`,
      `DROP INDEX audit.event_shared_visible_to_gin_idx`,
      `DROP INDEX audit.event_tenant_type_idx`,
    ]) {
      await q.query(sql);
    }
  }
}
