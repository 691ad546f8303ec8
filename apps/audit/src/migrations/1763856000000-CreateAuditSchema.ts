import { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTableSql, dropOutboxTableSql } from '@app/database';

/**
 * The audit trail (AUDIT-2, AUDIT-3). `seq` is the order of the hash chain; `id` (the event id) is
 * the primary key, so a fact delivered twice is stored once. Rows can only be inserted: the trigger
 * refuses UPDATE, DELETE and TRUNCATE to every role, the table's owner included, and anything done
 * behind its back (the trigger disabled) breaks the hash chain that `verifyChain` walks.
 */
export class CreateAuditSchema1763856000000 implements MigrationInterface {
  name = 'CreateAuditSchema1763856000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE audit.event (
         seq bigserial NOT NULL UNIQUE,
         id uuid PRIMARY KEY,
         type text NOT NULL,
         occurred_at timestamptz NOT NULL,
         actor jsonb NOT NULL,
         target jsonb,
         outcome text NOT NULL,
         reasons text[] NOT NULL DEFAULT '{}',
         correlation_id text NOT NULL,
         tenants text[] NOT NULL DEFAULT '{}',
         user_id uuid,
         received_at timestamptz NOT NULL,
         prev_hash text NOT NULL,
         hash text NOT NULL)`,
      // Tenant queries (AUDIT-4) filter with `tenants @> ARRAY[$tenant]`, which this index serves; the
      // time index lets the planner walk a large tenant newest-first and stop at the limit instead.
      `CREATE INDEX event_tenants_gin_idx ON audit.event USING gin (tenants)`,
      `CREATE INDEX event_occurred_at_idx ON audit.event (occurred_at DESC, seq DESC)`,
      `CREATE INDEX event_user_idx ON audit.event (user_id, occurred_at DESC) WHERE user_id IS NOT NULL`,
      `CREATE INDEX event_type_idx ON audit.event (type, occurred_at DESC)`,
      `CREATE FUNCTION audit.refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'audit.event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
       END
       $$`,
      `CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON audit.event
         FOR EACH ROW EXECUTE FUNCTION audit.refuse_event_change()`,
      `CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON audit.event
         FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_event_change()`,
      // Unused today; there so that the audit service can state its own facts like every service.
      ...createOutboxTableSql('audit'),
    ];
    for (const sql of statements) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of [
      ...dropOutboxTableSql('audit'),
      'DROP TABLE audit.event',
      'DROP FUNCTION audit.refuse_event_change()',
    ]) {
      await q.query(sql);
    }
  }
}
