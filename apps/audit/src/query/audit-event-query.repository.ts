import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditActor, AuditOutcome } from '@app/contracts';
import { CursorPosition } from './audit-cursor';

/** Filters of a tenant's audit query; the tenant itself is a separate, required argument. */
export interface AuditQueryFilter {
  /** The start of a type: `auth.login` matches `auth.login.failed`. */
  typePrefix?: string;
  /** Internal user id (uuid, lower case). */
  userId?: string;
  outcome?: AuditOutcome;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

/** A stored event as the query answers it, with its exact position for the next cursor. */
export interface AuditQueryRow {
  seq: string;
  id: string;
  type: string;
  occurredAt: Date;
  actor: AuditActor;
  target: { type: string; id: string } | null;
  outcome: AuditOutcome;
  reasons: string[];
  correlationId: string;
  tenants: string[];
  hash: string;
  position: CursorPosition;
}

/** A WHERE clause under construction: conditions joined by AND, parameters numbered as they come. */
class Conditions {
  readonly parts: string[] = [];
  readonly params: unknown[] = [];

  add(sql: (param: (value: unknown) => string) => string): void {
    this.parts.push(
      sql((value) => {
        this.params.push(value);
        return `$${this.params.length}`;
      }),
    );
  }
}

/**
 * THE tenant predicate of every audit read: which stored events a tenant's admins may see — those
 * tagged for the tenant (`visible_to`, issue 16: the acting tenant's facts and the account-level
 * facts of its users; docs/audit-scoping.md). Operators reading a tenant see every fact that names
 * it (`tenants`), as stored. Written as `@>` so that the GIN indexes serve it.
 */
export function tenantScope(
  tenant: string,
  param: (value: unknown) => string,
  reader: AuditReader = 'tenant',
): string {
  return reader === 'operator'
    ? `e.tenants @> ARRAY[${param(tenant)}]::text[]`
    : `e.visible_to @> ARRAY[${param(tenant)}]::text[]`;
}

/** The key of `event_tenant_type_idx`: a fact tagged for one tenant, by tenant and type, in byte order. */
const TENANT_TYPE_KEY = `(e.visible_to[1] || ' ' || e.type) COLLATE "C"`;

/**
 * The range of TENANT_TYPE_KEY holding exactly the keys of `tenant` whose type starts with `prefix`:
 * from `<tenant> <prefix>` to the same with the prefix's last character one higher (in byte order,
 * which is code point order). Only for a non-empty printable ASCII prefix, as every stored type is;
 * any other prefix matches nothing or needs no range, and gets none (the query stays correct).
 */
export function tenantTypeRange(tenant: string, prefix: string): { from: string; to: string } | undefined {
  if (!/^[\x20-\x7e]+$/.test(prefix)) {
    return undefined;
  }
  const last = prefix.charCodeAt(prefix.length - 1);
  return {
    from: `${tenant} ${prefix}`,
    to: `${tenant} ${prefix.slice(0, -1)}${String.fromCharCode(last + 1)}`,
  };
}

/** Who reads: a tenant's admin (the tenant's view) or an operator (everything about the tenant). */
export type AuditReader = 'tenant' | 'operator';

/**
 * The reads of the audit trail for people (AUDIT-4): keyset pages, newest first, ordered by
 * (occurred_at, id) — a total order, so pages never overlap and never skip, whatever is inserted
 * meanwhile (a newer event lands before the first page; an older late one after the cursor).
 */
@Injectable()
export class AuditEventQueryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Up to `limit` events of `tenant` after `after` (exclusive). The tenant is a required argument
   * of its own, so a query that does not name one does not compile.
   */
  async page(
    tenant: string,
    filter: AuditQueryFilter,
    after: CursorPosition | undefined,
    limit: number,
    reader: AuditReader = 'tenant',
  ): Promise<AuditQueryRow[]> {
    if (tenant.length === 0) {
      throw new Error('an audit query needs a tenant');
    }
    const where = new Conditions();
    where.add((p) => tenantScope(tenant, p, reader));
    if (filter.typePrefix !== undefined) {
      where.add((p) => `starts_with(e.type, ${p(filter.typePrefix)})`);
      const range = reader === 'tenant' ? tenantTypeRange(tenant, filter.typePrefix) : undefined;
      if (range !== undefined) {
        // The same rows again, as the ranges of the IndexTenantTypeAuditEvents indexes: the query then
        // reads only the tenant's rows of that type (none for a type it lacks) instead of walking
        // every row newest first. Literal `cardinality` conditions, so the partial indexes apply.
        where.add(
          (p) =>
            `((cardinality(e.visible_to) = 1 AND ${TENANT_TYPE_KEY} >= ${p(range.from)} AND ${TENANT_TYPE_KEY} < ${p(range.to)})` +
            ` OR (cardinality(e.visible_to) > 1 AND e.visible_to @> ARRAY[${p(tenant)}]::text[]))`,
        );
      }
    }
    if (filter.userId !== undefined) {
      where.add((p) => `e.user_id = ${p(filter.userId)}::uuid`);
    }
    if (filter.outcome !== undefined) {
      where.add((p) => `e.outcome = ${p(filter.outcome)}`);
    }
    if (filter.from !== undefined) {
      where.add((p) => `e.occurred_at >= ${p(filter.from)}`);
    }
    if (filter.to !== undefined) {
      where.add((p) => `e.occurred_at < ${p(filter.to)}`);
    }
    if (after !== undefined) {
      where.add((p) => `(e.occurred_at, e.id) < (${p(after.time)}::timestamptz, ${p(after.id)}::uuid)`);
    }
    const rows: RawRow[] = await this.dataSource.query(
      `SELECT e.seq, e.id, e.type, e.occurred_at, e.actor, e.target, e.outcome, e.reasons, e.correlation_id,
              e.tenants, e.hash,
              to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position_time
         FROM audit.event e
        WHERE ${where.parts.join(' AND ')}
        ORDER BY e.occurred_at DESC, e.id DESC
        LIMIT ${Math.trunc(limit)}`,
      where.params,
    );
    return rows.map((row) => ({
      seq: String(row.seq),
      id: row.id,
      type: row.type,
      occurredAt: row.occurred_at,
      actor: row.actor,
      target: row.target,
      outcome: row.outcome,
      reasons: row.reasons,
      correlationId: row.correlation_id,
      tenants: row.tenants,
      hash: row.hash,
      position: { time: row.position_time, id: row.id },
    }));
  }
}

interface RawRow {
  seq: string;
  id: string;
  type: string;
  occurred_at: Date;
  actor: AuditActor;
  target: { type: string; id: string } | null;
  outcome: AuditOutcome;
  reasons: string[];
  correlation_id: string;
  tenants: string[];
  hash: string;
  position_time: string;
}
