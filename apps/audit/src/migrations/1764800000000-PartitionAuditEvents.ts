import { MigrationInterface, QueryRunner } from 'typeorm';
import { AUDIT_WRITER_ROLE } from '../store/audit-roles';

/** The columns of audit.event, in table order (both the partitioned table and the old one). */
const COLUMNS =
  'seq, id, type, occurred_at, actor, target, outcome, reasons, correlation_id, tenants, user_id, received_at, prev_hash, hash';

/**
 * The trail partitioned by month of reception (AUDIT-4 at 100M rows), and the chain head as a row.
 *
 * - `audit.event` becomes a table partitioned by RANGE (received_at), one partition per calendar
 *   month (UTC) named `event_yYYYYmMM`, plus `event_default` for anything outside them (which stays
 *   empty as long as partitions are made ahead). The rows of the old table are copied over, then it
 *   is dropped; the name, columns, indexes, the append-only triggers and the grants stay the same,
 *   so readers see no difference. PostgreSQL cannot enforce a unique key without the partition key,
 *   so `id` and `seq` are no longer unique constraints: uniqueness by event id is kept by the chain
 *   head lock (every batch checks for its ids while holding it) and `seq` is handed out under it.
 * - `audit.ensure_event_partitions()` makes the partitions of this month and the next three. It is
 *   SECURITY DEFINER, owned by the schema owner and callable by the runtime role, which thus gets
 *   next months' partitions without any DDL right: the function takes no argument and does nothing
 *   else. Migrations call it, and the audit service calls it at start and daily.
 * - `audit.chain_head` is the one row every ingesting replica locks (SELECT … FOR UPDATE) for the
 *   length of one batch: position, hash, running count and reception time of the last record, so
 *   neither the head nor a checkpoint's count needs a scan, and reception times never go back along
 *   the chain (a month's partition is then one stretch of it). The runtime role may UPDATE exactly
 *   these four columns of it
 *   and nothing else; the events table stays INSERT/SELECT only.
 * - `audit.chain_cut` notes, for each partition dropped by retention (as the owner), the record the
 *   first kept record links to and the chain's length up to it, so `audit:verify` starts there.
 */
export class PartitionAuditEvents1764800000000 implements MigrationInterface {
  name = 'PartitionAuditEvents1764800000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE audit.event RENAME TO event_unpartitioned`,
      `ALTER INDEX audit.event_tenants_gin_idx RENAME TO event_unpartitioned_tenants_idx`,
      `ALTER INDEX audit.event_occurred_at_idx RENAME TO event_unpartitioned_occurred_at_idx`,
      `ALTER INDEX audit.event_user_idx RENAME TO event_unpartitioned_user_idx`,
      `ALTER INDEX audit.event_type_idx RENAME TO event_unpartitioned_type_idx`,
      `CREATE TABLE audit.event (
         seq bigint NOT NULL,
         id uuid NOT NULL,
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
         hash text NOT NULL,
         PRIMARY KEY (seq, received_at))
       PARTITION BY RANGE (received_at)`,
      // The same indexes as before (query semantics unchanged), plus one on id for the duplicate check.
      `CREATE INDEX event_tenants_gin_idx ON audit.event USING gin (tenants)`,
      `CREATE INDEX event_occurred_at_idx ON audit.event (occurred_at DESC, seq DESC)`,
      `CREATE INDEX event_user_idx ON audit.event (user_id, occurred_at DESC) WHERE user_id IS NOT NULL`,
      `CREATE INDEX event_type_idx ON audit.event (type, occurred_at DESC)`,
      `CREATE INDEX event_id_idx ON audit.event (id)`,
      `CREATE TABLE audit.event_default PARTITION OF audit.event DEFAULT`,
      `CREATE FUNCTION audit.create_event_partition(month date) RETURNS boolean
         LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, audit AS $$
       DECLARE
         first date := date_trunc('month', month)::date;
         name text := format('event_y%sm%s', to_char(first, 'YYYY'), to_char(first, 'MM'));
         lo timestamptz := (first::text || ' 00:00:00+00')::timestamptz;
         hi timestamptz := ((first + interval '1 month')::date::text || ' 00:00:00+00')::timestamptz;
       BEGIN
         IF to_regclass(format('audit.%I', name)) IS NOT NULL THEN
           RETURN false;
         END IF;
         -- Rows of that month already in the default partition (partitions were not made ahead):
         -- PostgreSQL would refuse the new partition; they stay where they are, still read and verified.
         IF EXISTS (SELECT 1 FROM audit.event_default WHERE received_at >= lo AND received_at < hi) THEN
           RAISE WARNING 'audit partition % not created: the default partition holds rows of that month', name;
           RETURN false;
         END IF;
         EXECUTE format(
           'CREATE TABLE audit.%I PARTITION OF audit.event FOR VALUES FROM (%L) TO (%L)', name, lo, hi);
         -- TRUNCATE triggers are not inherited from the partitioned table.
         EXECUTE format(
           'CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON audit.%I
              FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_event_change()', name);
         RETURN true;
       END
       $$`,
      `CREATE FUNCTION audit.ensure_event_partitions() RETURNS integer
         LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, audit AS $$
       DECLARE
         created integer := 0;
         this_month date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
       BEGIN
         -- Partitions are made by one caller at a time (replicas start together).
         PERFORM pg_advisory_xact_lock(hashtext('mamori.audit.partitions'));
         FOR i IN 0..3 LOOP
           IF audit.create_event_partition((this_month + make_interval(months => i))::date) THEN
             created := created + 1;
           END IF;
         END LOOP;
         RETURN created;
       END
       $$`,
      // The months of the existing rows, then this month and the next three.
      `SELECT audit.create_event_partition(m::date)
         FROM generate_series(
           (SELECT date_trunc('month', min(received_at) AT TIME ZONE 'UTC') FROM audit.event_unpartitioned),
           (SELECT date_trunc('month', max(received_at) AT TIME ZONE 'UTC') FROM audit.event_unpartitioned),
           interval '1 month') m`,
      `SELECT audit.ensure_event_partitions()`,
      `INSERT INTO audit.event (${COLUMNS}) SELECT ${COLUMNS} FROM audit.event_unpartitioned`,
      `CREATE TABLE audit.chain_head (
         one boolean PRIMARY KEY DEFAULT true CHECK (one),
         seq bigint NOT NULL,
         hash text NOT NULL,
         count bigint NOT NULL,
         received_at timestamptz NOT NULL)`,
      `INSERT INTO audit.chain_head (seq, hash, count, received_at)
       SELECT coalesce(last.seq, 0), coalesce(last.hash, repeat('0', 64)),
              (SELECT count(*) FROM audit.event_unpartitioned), coalesce(last.received_at, 'epoch')
         FROM (SELECT 1) one
         LEFT JOIN (SELECT seq, hash, received_at FROM audit.event_unpartitioned ORDER BY seq DESC LIMIT 1) last
           ON true`,
      `DROP TABLE audit.event_unpartitioned`,
      `CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON audit.event
         FOR EACH ROW EXECUTE FUNCTION audit.refuse_event_change()`,
      `CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON audit.event
         FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_event_change()`,
      `CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON audit.event_default
         FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_event_change()`,
      // The head row is never removed: only moved forward by the ingest, one batch at a time.
      `CREATE FUNCTION audit.refuse_head_removal() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'audit.chain_head keeps its row: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
       END
       $$`,
      `CREATE TRIGGER chain_head_kept BEFORE DELETE ON audit.chain_head
         FOR EACH ROW EXECUTE FUNCTION audit.refuse_head_removal()`,
      `CREATE TRIGGER chain_head_no_truncate BEFORE TRUNCATE ON audit.chain_head
         FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_head_removal()`,
      `CREATE TABLE audit.chain_cut (
         partition text PRIMARY KEY,
         dropped_at timestamptz NOT NULL,
         up_to_seq bigint NOT NULL,
         up_to_hash text NOT NULL,
         count bigint NOT NULL,
         checkpoint_head_seq bigint NOT NULL)`,
      `REVOKE ALL ON audit.event, audit.chain_head, audit.chain_cut FROM PUBLIC`,
      `REVOKE ALL ON FUNCTION audit.create_event_partition(date), audit.ensure_event_partitions() FROM PUBLIC`,
      `GRANT SELECT, INSERT ON audit.event TO ${AUDIT_WRITER_ROLE}`,
      `GRANT SELECT, UPDATE (seq, hash, count, received_at) ON audit.chain_head TO ${AUDIT_WRITER_ROLE}`,
      `GRANT SELECT ON audit.chain_cut TO ${AUDIT_WRITER_ROLE}`,
      `GRANT EXECUTE ON FUNCTION audit.ensure_event_partitions() TO ${AUDIT_WRITER_ROLE}`,
    ];
    for (const sql of statements) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE audit.event RENAME TO event_partitioned`,
      `ALTER INDEX audit.event_tenants_gin_idx RENAME TO event_partitioned_tenants_idx`,
      `ALTER INDEX audit.event_occurred_at_idx RENAME TO event_partitioned_occurred_at_idx`,
      `ALTER INDEX audit.event_user_idx RENAME TO event_partitioned_user_idx`,
      `ALTER INDEX audit.event_type_idx RENAME TO event_partitioned_type_idx`,
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
      `INSERT INTO audit.event (${COLUMNS}) SELECT ${COLUMNS} FROM audit.event_partitioned ORDER BY seq`,
      `SELECT setval('audit.event_seq_seq', coalesce((SELECT max(seq) FROM audit.event), 0) + 1, false)`,
      `CREATE INDEX event_tenants_gin_idx ON audit.event USING gin (tenants)`,
      `CREATE INDEX event_occurred_at_idx ON audit.event (occurred_at DESC, seq DESC)`,
      `CREATE INDEX event_user_idx ON audit.event (user_id, occurred_at DESC) WHERE user_id IS NOT NULL`,
      `CREATE INDEX event_type_idx ON audit.event (type, occurred_at DESC)`,
      `DROP TABLE audit.event_partitioned`,
      `CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON audit.event
         FOR EACH ROW EXECUTE FUNCTION audit.refuse_event_change()`,
      `CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON audit.event
         FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_event_change()`,
      `DROP TABLE audit.chain_cut`,
      `DROP TABLE audit.chain_head`,
      `DROP FUNCTION audit.refuse_head_removal()`,
      `DROP FUNCTION audit.ensure_event_partitions()`,
      `DROP FUNCTION audit.create_event_partition(date)`,
      `REVOKE ALL ON audit.event FROM PUBLIC`,
      `GRANT SELECT, INSERT ON audit.event TO ${AUDIT_WRITER_ROLE}`,
      `GRANT USAGE ON SEQUENCE audit.event_seq_seq TO ${AUDIT_WRITER_ROLE}`,
    ];
    for (const sql of statements) {
      await q.query(sql);
    }
  }
}
