import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { chainHash, ChainRecord, GENESIS_HASH } from '@app/audit-chain';
import { NormalizedAuditEvent } from '../ingest/audit-event-payload.schema';
import { AuditEventRecord } from './audit-event-record.entity';

/** Key of the transaction-scoped advisory lock that makes the hash chain a single line. */
const CHAIN_LOCK = 'mamori.audit.chain';

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
   * id (AUDIT-1, AUDIT-4 throughput). Batches are serialised by an advisory lock held until commit,
   * so the head read here is the head every replica sees and the chain stays one line however many
   * replicas run; the lock is held for one round of duplicate check, head read and insert, which is
   * what lets several replicas share the stream at thousands of events per second. The chain is
   * computed in memory, and each record gets the next position (`seq`) explicitly, so chain order
   * never depends on the order PostgreSQL hands out sequence numbers. Results are in input order;
   * an id seen earlier (stored before, or earlier in this batch) is a duplicate.
   */
  async appendBatch(events: NormalizedAuditEvent[], receivedAt: Date): Promise<AppendResult[]> {
    if (events.length === 0) {
      return [];
    }
    return this.dataSource.transaction(async (manager): Promise<AppendResult[]> => {
      // Its own statement: a READ COMMITTED statement reads the snapshot taken when it starts, so
      // the head must be read by a statement that starts after the lock is held.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [CHAIN_LOCK]);
      const [state]: { stored: string[] | null; seq: string | null; head: string | null }[] =
        await manager.query(
          `SELECT (SELECT array_agg(id::text) FROM audit.event WHERE id = ANY($1::uuid[])) AS stored,
                h.seq, h.hash AS head
           FROM (SELECT 1) one
           LEFT JOIN (SELECT seq, hash FROM audit.event ORDER BY seq DESC LIMIT 1) h ON true`,
          [events.map((e) => e.id)],
        );
      const seen = new Set(state.stored ?? []);
      let prevHash = state.head ?? GENESIS_HASH;
      let seq = state.seq === null ? 0n : BigInt(state.seq);
      const rows: Record<string, unknown>[] = [];
      const results: AppendResult[] = events.map((event) => {
        if (seen.has(event.id)) {
          return { stored: false };
        }
        seen.add(event.id);
        const record: ChainRecord = { ...event, receivedAt: receivedAt.toISOString() };
        const hash = chainHash(prevHash, record);
        seq += 1n;
        rows.push({
          seq: seq.toString(),
          id: record.id,
          type: record.type,
          occurred_at: record.occurredAt,
          actor: record.actor,
          target: record.target,
          outcome: record.outcome,
          reasons: record.reasons,
          correlation_id: record.correlationId,
          tenants: record.tenants,
          user_id: record.userId,
          received_at: record.receivedAt,
          prev_hash: prevHash,
          hash,
        });
        prevHash = hash;
        return { stored: true, seq: Number(seq), hash };
      });
      if (rows.length > 0) {
        // One statement for the whole batch: the rows travel as one JSON array.
        await manager.query(
          `INSERT INTO audit.event
             (seq, id, type, occurred_at, actor, target, outcome, reasons, correlation_id, tenants, user_id,
              received_at, prev_hash, hash)
           SELECT seq, id, type, occurred_at, actor, target, outcome, reasons, correlation_id, tenants, user_id,
                  received_at, prev_hash, hash
             FROM jsonb_to_recordset($1::jsonb) AS r(
               seq bigint, id uuid, type text, occurred_at timestamptz, actor jsonb, target jsonb, outcome text,
               reasons text[], correlation_id text, tenants text[], user_id uuid, received_at timestamptz,
               prev_hash text, hash text)`,
          [JSON.stringify(rows)],
        );
      }
      return results;
    });
  }

  /**
   * The head of the chain and the number of records up to it, read in one snapshot; null while
   * the trail is empty.
   */
  async head(): Promise<{ seq: number; hash: string; count: number } | null> {
    const rows: { seq: string; hash: string; count: string }[] = await this.dataSource.query(
      `SELECT h.seq, h.hash, (SELECT count(*) FROM audit.event WHERE seq <= h.seq) AS count
         FROM (SELECT seq, hash FROM audit.event ORDER BY seq DESC LIMIT 1) h`,
    );
    return rows.length === 0
      ? null
      : { seq: Number(rows[0].seq), hash: rows[0].hash, count: Number(rows[0].count) };
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
