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

/** All I/O of the audit trail: the append that extends the hash chain and the tenant-scoped reads. */
@Injectable()
export class AuditEventRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Appends one event to the chain, exactly once per event id. Appends are serialised by an advisory
   * lock held until commit, so the head read here is the head every replica sees and the chain
   * stays linear however many consumers run; a duplicate inserts nothing and leaves the head alone.
   */
  async append(event: NormalizedAuditEvent, receivedAt: Date): Promise<AppendResult> {
    return this.dataSource.transaction(async (manager): Promise<AppendResult> => {
      // Its own statement: a READ COMMITTED statement reads the snapshot taken when it starts, so
      // the head must be read by a statement that starts after the lock is held.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [CHAIN_LOCK]);
      const [state]: { duplicate: boolean; head: string | null }[] = await manager.query(
        `SELECT EXISTS (SELECT 1 FROM audit.event WHERE id = $1) AS duplicate,
                (SELECT hash FROM audit.event ORDER BY seq DESC LIMIT 1) AS head`,
        [event.id],
      );
      if (state.duplicate) {
        return { stored: false };
      }
      const prevHash = state.head ?? GENESIS_HASH;
      const record: ChainRecord = { ...event, receivedAt: receivedAt.toISOString() };
      const hash = chainHash(prevHash, record);
      const inserted: { seq: string }[] = await manager.query(
        `INSERT INTO audit.event
           (id, type, occurred_at, actor, target, outcome, reasons, correlation_id, tenants, user_id,
            received_at, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (id) DO NOTHING
         RETURNING seq`,
        [
          record.id,
          record.type,
          record.occurredAt,
          JSON.stringify(record.actor),
          record.target === null ? null : JSON.stringify(record.target),
          record.outcome,
          record.reasons,
          record.correlationId,
          record.tenants,
          record.userId,
          record.receivedAt,
          prevHash,
          hash,
        ],
      );
      // Cannot be empty under the lock; if a row came in another way, the chain head is unchanged.
      return inserted.length === 0 ? { stored: false } : { stored: true, seq: Number(inserted[0].seq), hash };
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
    // `tenants @> ARRAY[$tenant]` is `$tenant = ANY(tenants)` in the form the GIN index serves.
    const query = this.dataSource
      .getRepository(AuditEventRecord)
      .createQueryBuilder('e')
      .where('e.tenants @> ARRAY[:tenant]::text[]', { tenant });
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
