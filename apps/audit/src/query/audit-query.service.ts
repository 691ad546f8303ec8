import { Injectable } from '@nestjs/common';
import {
  auditEventForTenant,
  AuditEventType,
  AuditRecordView,
  DomainError,
  ErrorCode,
  Principal,
  RpcRequest,
} from '@app/contracts';
import { AuditEventRecord } from '../store/audit-event-record.entity';
import { AuditEventRepository } from '../store/audit-event.repository';

export const DEFAULT_QUERY_LIMIT = 100;
export const MAX_QUERY_LIMIT = 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type AuditEventsQuery = RpcRequest<'audit-trail.events.query'>;

/**
 * The query side of the trail (AUDIT-4): one tenant's events, newest first, by type, user and time.
 * Export formats (csv, xlsx, pdf) are built on top of this later; `format` is not looked at here.
 */
@Injectable()
export class AuditQueryService {
  constructor(private readonly repository: AuditEventRepository) {}

  async query(request: AuditEventsQuery, principal?: Principal): Promise<AuditRecordView[]> {
    const tenant = request.tenant;
    if (typeof tenant !== 'string' || tenant.length === 0 || tenant.length > 64) {
      throw invalid('tenant', 'must be a tenant number');
    }
    // Defence in depth: the gateway admits only admins and fills `tenant` from the caller's active
    // tenant; this service checks both again, so no NATS peer reads a trail it should not.
    if (
      !principal ||
      (principal.role !== 'operator' && (principal.role !== 'admin' || principal.tenant !== tenant))
    ) {
      throw new DomainError(ErrorCode.Forbidden);
    }
    if (request.userId !== undefined && !UUID.test(request.userId)) {
      throw invalid('userId', 'must be a UUID');
    }
    const rows = await this.repository.findForTenant(tenant, {
      type: request.type,
      userId: request.userId?.toLowerCase(),
      from: toDate('from', request.from),
      to: toDate('to', request.to),
      limit: clampLimit(request.limit),
    });
    // A tenant admin is shown the tenant's own view of each fact; operators the fact as stored.
    return principal.role === 'operator'
      ? rows.map(toView)
      : rows.map((row) => auditEventForTenant(toView(row), tenant));
  }
}

/** Default 100, at most 1000: a page of an admin screen, never the whole trail in one answer. */
export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) {
    return DEFAULT_QUERY_LIMIT;
  }
  return Math.min(Math.max(Math.trunc(limit), 1), MAX_QUERY_LIMIT);
}

function toDate(field: string, value: string | undefined): Date | undefined {
  if (value === undefined) {
    return undefined;
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw invalid(field, 'must be an ISO 8601 time');
  }
  return date;
}

function invalid(field: string, message: string): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, { fields: { [field]: [message] } });
}

function toView(row: AuditEventRecord): AuditRecordView {
  return {
    seq: Number(row.seq),
    hash: row.hash,
    id: row.id,
    // A type stored before the contracts knew it is still shown as it was stated.
    type: row.type as AuditEventType,
    occurredAt: row.occurredAt.toISOString(),
    actor: row.actor,
    ...(row.target ? { target: row.target } : {}),
    outcome: row.outcome,
    reasons: row.reasons,
    correlationId: row.correlationId,
    tenants: row.tenants,
  };
}
