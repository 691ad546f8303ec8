import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Pool, QueryResult } from 'pg';
import { chainBodyParts, sha256Hex } from '@app/audit-chain';
import { NormalizedAuditEvent } from '../ingest/audit-event-payload.schema';
import { AuditEventRecord } from './audit-event-record.entity';

export type AppendResult = { stored: true; seq: number; hash: string } | { stored: false };

/** Filters of a tenant's audit query; the tenant itself is a separate, required argument. */
export interface AuditEventFilter {
  type?: string;
  /** Internal user id (uuid, lower case). */
  userId?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  limit: number;
}

/**
 * The condition "this fact belongs to the tenant bound to `:<parameter>`" (issue 16): the tag
 * `visible_to`, which the ScopeAuditEvents migration made from the fact's scope. The one place a
 * tenant's read of the trail is scoped: every tenant-facing query and export uses it. Written as
 * `@>` so that the GIN index on `visible_to` serves it.
 */
export function visibleToTenantSql(alias: string, parameter = 'tenant'): string {
  return `${alias}.visible_to @> ARRAY[:${parameter}]::text[]`;
}

/** All I/O of the audit trail: the append that extends the hash chain and the tenant-scoped reads. */
@Injectable()
export class AuditEventRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Appends one event to the chain, exactly once per event id (see appendBatch). */
  async append(event: NormalizedAuditEvent, receivedAt: Date): Promise<AppendResult> {
    const [result] = await this.appendBatch([event], receivedAt);
    return result;
  }

  /**
   * Appends a batch of events to the chain in one transaction and one INSERT, exactly once per event
   * id (AUDIT-1, AUDIT-4 throughput). Batches are serialised by the lock on the one row of
   * `audit.chain_head` (SELECT … FOR UPDATE, held until commit), so the head read here is the head
   * every replica sees and the chain stays one line however many replicas run. The lock is held for
   * one duplicate check, the in-memory hashing and one INSERT that also moves the head forward, which
   * is what lets several replicas share the stream at thousands of events per second. Each record
   * gets the next position (`seq`) explicitly, and the head keeps the running count of records, so
   * neither a sequence nor a count(*) is involved. Results are in input order; an id seen earlier
   * (stored before, or earlier in this batch) is a duplicate.
   */
  async appendBatch(events: NormalizedAuditEvent[], receivedAt: Date): Promise<AppendResult[]> {
    if (events.length === 0) {
      return [];
    }
    // Before the lock: everything that does not depend on the head. Each record's canonical JSON is
    // made but for its reception time, so that inside the lock only one SHA-256 per record is left
    // to do; the same text, reception time spliced in, is what travels to PostgreSQL as the row
    // (serialised once, for the hash and the insert alike).
    const parts = events.map((event) => chainBodyParts(event));
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const client = await pool.connect();
    let failed: unknown;
    try {
      // The lock first, in a statement of its own: the duplicate check after it then reads a snapshot
      // taken once the lock is held (READ COMMITTED), so it sees every batch committed before ours.
      // BEGIN travels with it, in one round trip (without parameters a query may hold two statements).
      const [, head] = (await client.query(
        'BEGIN; SELECT seq::text, hash, count::text, received_at FROM audit.chain_head FOR UPDATE',
      )) as unknown as [
        QueryResult,
        QueryResult<{ seq: string; hash: string; count: string; received_at: Date }>,
      ];
      if (head.rows.length !== 1) {
        throw new Error('audit.chain_head has no row: run the audit migrations');
      }
      // Ids are uuids and hashes hex (the payload check saw to it): a comma-joined text is their
      // cheapest array parameter.
      const stored = await client.query<{ id: string }>({
        name: 'audit-append-seen',
        text: "SELECT id::text FROM audit.event WHERE id = ANY(string_to_array($1, ',')::uuid[])",
        values: [events.map((e) => e.id).join(',')],
      });
      const seen = new Set(stored.rows.map((r) => r.id));
      // Never before the head's: replicas' clocks differ and a batch may wait for the lock, yet along
      // the chain reception times must not go back, or a month's partition would not be one stretch.
      const lastReceived = head.rows[0].received_at;
      const received = (lastReceived > receivedAt ? lastReceived : receivedAt).toISOString();
      const receivedJson = `"receivedAt":${JSON.stringify(received)}`;
      const firstPrev = head.rows[0].hash;
      let prevHash = firstPrev;
      let seq = BigInt(head.rows[0].seq);
      const firstSeq = seq;
      let count = BigInt(head.rows[0].count);
      const bodies: string[] = [];
      const hashes: string[] = [];
      const results: AppendResult[] = events.map((event, i) => {
        if (seen.has(event.id)) {
          return { stored: false };
        }
        seen.add(event.id);
        const body = `${parts[i].head}${receivedJson}${parts[i].tail}`;
        const hash = sha256Hex(prevHash + body);
        seq += 1n;
        count += 1n;
        bodies.push(body);
        hashes.push(hash);
        prevHash = hash;
        return { stored: true, seq: Number(seq), hash };
      });
      if (bodies.length > 0) {
        // One statement for the whole batch, which also moves the head (a data-modifying WITH runs
        // once whether or not the UPDATE reads it). The rows are the records' canonical JSON (what
        // was hashed), `n` the position among them; a named statement is planned once per session.
        await client.query({
          name: 'audit-append-insert',
          text: `WITH inserted AS (
             INSERT INTO audit.event
               (seq, id, type, occurred_at, actor, target, outcome, reasons, correlation_id, tenants, user_id,
                received_at, prev_hash, hash)
             SELECT $3::bigint + r.n, r.id, r.type, r."occurredAt", r.actor, r.target, r.outcome, r.reasons,
                    r."correlationId", r.tenants, r."userId", $4::timestamptz,
                    coalesce(lag(k.hash) OVER (ORDER BY r.n), $5), k.hash
               FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (
                      id uuid, type text, "occurredAt" timestamptz, actor jsonb, target jsonb, outcome text,
                      reasons text[], "correlationId" text, tenants text[], "userId" uuid))
                    WITH ORDINALITY AS r(id, type, "occurredAt", actor, target, outcome, reasons, "correlationId",
                                         tenants, "userId", n)
               JOIN unnest(string_to_array($2, ',')) WITH ORDINALITY AS k(hash, n) ON k.n = r.n)
           UPDATE audit.chain_head SET seq = $6, hash = $7, count = $8, received_at = $4`,
          values: [
            `[${bodies.join(',')}]`,
            hashes.join(','),
            firstSeq.toString(),
            received,
            firstPrev,
            seq.toString(),
            prevHash,
            count.toString(),
          ],
        });
      }
      await client.query('COMMIT');
      return results;
    } catch (error) {
      failed = error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      // A connection whose rollback may not have gone through is not handed back to the pool.
      client.release(failed instanceof Error && !('code' in failed) ? failed : undefined);
    }
  }

  /**
   * The head of the chain and the number of records up to it (the running count kept by
   * appendBatch, retention cuts included); null while the trail is empty.
   */
  async head(): Promise<{ seq: number; hash: string; count: number } | null> {
    const rows: { seq: string; hash: string; count: string }[] = await this.dataSource.query(
      'SELECT seq, hash, count FROM audit.chain_head',
    );
    return rows.length === 0 || rows[0].seq === '0'
      ? null
      : { seq: Number(rows[0].seq), hash: rows[0].hash, count: Number(rows[0].count) };
  }

  /** Makes this month's partition of the trail and the next months' (a function the owner made). */
  async ensurePartitions(): Promise<number> {
    const [row]: { created: number }[] = await this.dataSource.query(
      'SELECT audit.ensure_event_partitions() AS created',
    );
    return row.created;
  }

  /**
   * A tenant's events, newest first. The tenant is a required argument of its own, so a query that
   * does not name one does not compile (STYLE.md "tenant scoping in the repository's types").
   */
  async findForTenant(tenant: string, filter: AuditEventFilter): Promise<AuditEventRecord[]> {
    if (tenant.length === 0) {
      throw new Error('findForTenant needs a tenant');
    }
    const query = this.dataSource
      .getRepository(AuditEventRecord)
      .createQueryBuilder('e')
      .where(visibleToTenantSql('e'), { tenant });
    if (filter.type !== undefined) {
      query.andWhere('e.type = :type', { type: filter.type });
    }
    if (filter.userId !== undefined) {
      query.andWhere('e.userId = :userId', { userId: filter.userId });
    }
    if (filter.from !== undefined) {
      query.andWhere('e.occurredAt >= :from', { from: filter.from });
    }
    if (filter.to !== undefined) {
      query.andWhere('e.occurredAt < :to', { to: filter.to });
    }
    return query.orderBy('e.occurredAt', 'DESC').addOrderBy('e.seq', 'DESC').limit(filter.limit).getMany();
  }
}
