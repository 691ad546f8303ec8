import { MigrationInterface, QueryRunner } from 'typeorm';
import { AUDIT_WRITER_ROLE } from '../store/audit-roles';

/**
 * `audit.append_events`: a batch's whole append in one statement, so the chain head's lock is held
 * only while PostgreSQL works (AUDIT-4 throughput with several replicas).
 *
 * Before it, a replica took the head's lock and then went back and forth with PostgreSQL while
 * holding it (the duplicate check, its own hashing, the INSERT, the COMMIT): three round trips and
 * three turns of the replica's event loop per batch. On a busy host every one of them waits for a
 * CPU, so the lock was held for 100–200 ms per batch of 1,000 against some 20 ms of database work,
 * and a second replica mostly queued behind the first (bench/README.md, "Two replicas").
 *
 * The function takes the batch as the replica prepared it outside any lock (ids, and each record's
 * canonical JSON before and after its reception time, one record per line: canonical JSON has no
 * raw line break), then, holding the lock: reads the head, skips the ids already stored or seen
 * earlier in the batch (a VOLATILE function's every statement takes a fresh snapshot, so the check
 * sees every batch committed before the lock was granted), hashes the records onto the head (`sha256(prev_hash || record)`,
 * hex, over the UTF-8 text: what `chainHashOfParts` and `audit:verify` compute), inserts them with
 * one statement and moves the head. The commit follows the statement at once, with no round trip.
 *
 * SECURITY INVOKER (the default): it runs with the caller's own rights, INSERT on the trail and
 * UPDATE of the head's four columns, and gives the runtime role nothing it did not have.
 */
export class AppendEventsFunction1765100000000 implements MigrationInterface {
  name = 'AppendEventsFunction1765100000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [
      `CREATE FUNCTION audit.append_events(
         p_ids text, p_heads text, p_tails text, p_received timestamptz,
         OUT first_seq bigint, OUT hashes text[])
       LANGUAGE plpgsql VOLATILE AS $$
       DECLARE
         v_ids uuid[] := string_to_array(p_ids, ',')::uuid[];
         v_heads text[] := string_to_array(p_heads, E'\\n');
         v_tails text[] := string_to_array(p_tails, E'\\n');
         v_n int := coalesce(cardinality(v_ids), 0);
         v_head record;
         v_new boolean[];
         v_received timestamptz;
         v_received_json text;
         v_prev text;
         v_seq bigint;
         v_body text;
         v_bodies text[] := '{}';
         v_hashes text[] := '{}';
       BEGIN
         IF coalesce(cardinality(v_heads), 0) <> v_n OR coalesce(cardinality(v_tails), 0) <> v_n THEN
           RAISE EXCEPTION 'audit.append_events: % ids, % heads, % tails',
             v_n, cardinality(v_heads), cardinality(v_tails);
         END IF;
         SELECT h.seq, h.hash, h.count, h.received_at INTO v_head FROM audit.chain_head h FOR UPDATE;
         IF NOT FOUND THEN
           RAISE EXCEPTION 'audit.chain_head has no row: run the audit migrations';
         END IF;
         -- Which records are new: not stored before, and the first of their id in the batch.
         v_new := ARRAY(
           SELECT NOT (x.rn > 1 OR x.id = ANY(ARRAY(SELECT e.id FROM audit.event e WHERE e.id = ANY(v_ids))))
             FROM (SELECT u.id, u.i, row_number() OVER (PARTITION BY u.id ORDER BY u.i) AS rn
                     FROM unnest(v_ids) WITH ORDINALITY AS u(id, i)) x
            ORDER BY x.i);
         -- Never before the head's: replicas' clocks differ and a batch may wait for the lock, yet
         -- along the chain reception times must not go back (a month's partition is one stretch).
         v_received := date_trunc('milliseconds', greatest(v_head.received_at, p_received));
         v_received_json := '"receivedAt":' ||
           to_json(to_char(v_received AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text;
         first_seq := v_head.seq;
         hashes := array_fill(NULL::text, ARRAY[v_n]);
         v_prev := v_head.hash;
         v_seq := v_head.seq;
         FOR i IN 1..v_n LOOP
           CONTINUE WHEN NOT v_new[i];
           v_body := v_heads[i] || v_received_json || v_tails[i];
           v_prev := encode(sha256(convert_to(v_prev || v_body, 'UTF8')), 'hex');
           v_seq := v_seq + 1;
           hashes[i] := v_prev;
           v_bodies := v_bodies || v_body;
           v_hashes := v_hashes || v_prev;
         END LOOP;
         IF v_seq = v_head.seq THEN
           RETURN;
         END IF;
         INSERT INTO audit.event
           (seq, id, type, occurred_at, actor, target, outcome, reasons, correlation_id, tenants, user_id,
            received_at, prev_hash, hash)
         SELECT v_head.seq + u.n, r.id, r.type, r."occurredAt", r.actor, r.target, r.outcome, r.reasons,
                r."correlationId", r.tenants, r."userId", v_received,
                coalesce(lag(u.hash) OVER (ORDER BY u.n), v_head.hash), u.hash
           FROM unnest(v_bodies, v_hashes) WITH ORDINALITY AS u(body, hash, n),
                jsonb_to_record(u.body::jsonb) AS r(
                  id uuid, type text, "occurredAt" timestamptz, actor jsonb, target jsonb, outcome text,
                  reasons text[], "correlationId" text, tenants text[], "userId" uuid);
         UPDATE audit.chain_head
            SET seq = v_seq, hash = v_prev, count = v_head.count + (v_seq - v_head.seq),
                received_at = v_received;
       END
       $$`,
      `REVOKE ALL ON FUNCTION audit.append_events(text, text, text, timestamptz) FROM PUBLIC`,
      `GRANT EXECUTE ON FUNCTION audit.append_events(text, text, text, timestamptz) TO ${AUDIT_WRITER_ROLE}`,
    ]) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION audit.append_events(text, text, text, timestamptz)`);
  }
}
