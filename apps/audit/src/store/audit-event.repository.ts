import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Pool } from 'pg';
import { chainBodyParts } from '@app/audit-chain';
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
   * Appends a batch of events to the chain in one statement, exactly once per event id (AUDIT-1,
   * AUDIT-4 throughput). Everything that does not depend on the head is done here, before any lock:
   * each record's canonical JSON but for its reception time. `audit.append_events` (see the
   * AppendEventsFunction migration) then, under the lock on the one row of `audit.chain_head`, skips
   * the ids already stored (or earlier in the batch), hashes the rest onto the head, inserts them and
   * moves the head; the commit follows at once. The lock is thus held only for PostgreSQL's own work,
   * never across a round trip to this process, so replicas queue on it for milliseconds, not for
   * their turns of the event loop, and the chain stays one line however many replicas run.
   * Results are in input order; an id seen earlier (stored before, or earlier in this batch) is a
   * duplicate.
   */
  async appendBatch(events: NormalizedAuditEvent[], receivedAt: Date): Promise<AppendResult[]> {
    if (events.length === 0) {
      return [];
    }
    let heads = '';
    let tails = '';
    let ids = '';
    events.forEach((event, i) => {
      const parts = chainBodyParts(event);
      // One record per line: canonical JSON escapes every line break inside its strings.
      const separator = i === 0 ? '' : '\n';
      heads += separator + parts.head;
      tails += separator + parts.tail;
      // Ids are uuids (the payload check saw to it): a comma-joined text is their cheapest array.
      ids += (i === 0 ? '' : ',') + event.id;
    });
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    // A single statement outside any transaction block: its own transaction, committed as it ends.
    const { rows } = await pool.query<{ first_seq: string; hashes: (string | null)[] }>({
      name: 'audit-append-events',
      text: 'SELECT first_seq::text, hashes FROM audit.append_events($1, $2, $3, $4)',
      values: [ids, heads, tails, receivedAt.toISOString()],
    });
    let seq = Number(rows[0].first_seq);
    return rows[0].hashes.map((hash): AppendResult =>
      hash === null ? { stored: false } : { stored: true, seq: ++seq, hash },
    );
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
