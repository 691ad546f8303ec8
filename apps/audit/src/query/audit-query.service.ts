import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@app/config';
import {
  auditEventForTenant,
  AUDIT_OUTCOMES,
  AUDIT_PAGE_DEFAULT_SIZE,
  AUDIT_PAGE_MAX_SIZE,
  AuditEventsPage,
  AuditEventType,
  AuditOutcome,
  AuditRecordView,
  DomainError,
  ErrorCode,
  Principal,
  RpcRequest,
} from '@app/contracts';
import { AuditServiceEnv } from '../audit-env.schema';
import { AuditCursorCodec } from './audit-cursor';
import { AuditEventQueryRepository, AuditQueryFilter, AuditQueryRow } from './audit-event-query.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TYPE_PREFIX = /^[a-z0-9_.-]{1,100}$/;

export type AuditEventsQuery = RpcRequest<'audit-trail.events.query'>;

/**
 * The query side of the trail (AUDIT-4): one tenant's events, newest first, by type (prefix), user,
 * outcome and time, a page at a time with a signed cursor. Exports (json, csv, xlsx, pdf) are
 * written by the gateway from these pages, so no answer here is ever larger than one page.
 */
@Injectable()
export class AuditQueryService {
  private readonly cursors: AuditCursorCodec;

  constructor(
    private readonly repository: AuditEventQueryRepository,
    @Inject(APP_CONFIG) config: Pick<AuditServiceEnv, 'AUDIT_SIGNING_KEY'>,
  ) {
    this.cursors = new AuditCursorCodec(config.AUDIT_SIGNING_KEY);
  }

  async query(request: AuditEventsQuery, principal?: Principal): Promise<AuditEventsPage<AuditRecordView>> {
    const tenant = request.tenant;
    if (typeof tenant !== 'string' || tenant.length === 0 || tenant.length > 64) {
      throw invalid('tenant', 'must be a tenant number');
    }
    // Defence in depth: the gateway admits only admins (their active tenant) and operators; this
    // service checks both again, so no NATS peer reads a trail it should not.
    if (
      !principal ||
      (principal.role !== 'operator' && (principal.role !== 'admin' || principal.tenant !== tenant))
    ) {
      throw new DomainError(ErrorCode.Forbidden);
    }
    const filter = filterOf(request);
    const limit = clampLimit(request.limit);
    // The cursor is bound to the tenant and filters it was issued for (not to the page size).
    const scope = JSON.stringify([
      tenant,
      filter.typePrefix,
      filter.userId,
      filter.outcome,
      request.from,
      request.to,
    ]);
    const after = request.cursor === undefined ? undefined : this.cursors.decode(request.cursor, scope);
    // One more than asked: whether it exists says if there is a next page.
    const reader = principal.role === 'operator' ? 'operator' : 'tenant';
    const rows = await this.repository.page(tenant, filter, after, limit + 1, reader);
    // A tenant admin is shown the tenant's own view of each fact; operators the fact as stored.
    const viewOf = (row: Parameters<typeof toView>[0]): AuditRecordView =>
      principal.role === 'operator' ? toView(row) : auditEventForTenant(toView(row), tenant);
    const items = withinBudget(rows.slice(0, limit).map((row) => ({ row, view: viewOf(row) })));
    const last = items[items.length - 1];
    return {
      items: items.map((item) => item.view),
      nextCursor: rows.length > items.length && last ? this.cursors.encode(last.row.position, scope) : null,
    };
  }
}

/**
 * Bytes of events in one answer at most. An answer is one NATS message (1 MiB by default); events
 * are small (about 600 bytes) but a stored one may hold 1 kB of user agent and 50 reasons, so a page
 * of 500 is cut short, with a cursor after its last event, rather than fail to be sent.
 */
export const PAGE_BYTE_BUDGET = 768 * 1024;

function withinBudget<T extends { view: AuditRecordView }>(items: T[]): T[] {
  let bytes = 0;
  for (const [index, item] of items.entries()) {
    bytes += Buffer.byteLength(JSON.stringify(item.view)) + 1;
    if (bytes > PAGE_BYTE_BUDGET && index > 0) {
      return items.slice(0, index);
    }
  }
  return items;
}

/** Default 100, at most 500: a page must fit one NATS reply (1 MiB) with every field at its longest. */
export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) {
    return AUDIT_PAGE_DEFAULT_SIZE;
  }
  return Math.min(Math.max(Math.trunc(limit), 1), AUDIT_PAGE_MAX_SIZE);
}

function filterOf(request: AuditEventsQuery): AuditQueryFilter {
  if (request.userId !== undefined && !UUID.test(request.userId)) {
    throw invalid('userId', 'must be a UUID');
  }
  if (request.outcome !== undefined && !(AUDIT_OUTCOMES as readonly string[]).includes(request.outcome)) {
    throw invalid('outcome', `must be one of ${AUDIT_OUTCOMES.join(', ')}`);
  }
  // `auth.login.*` (the subject wildcard consumers know) means the prefix `auth.login.`.
  const typePrefix = request.type?.endsWith('.*') ? request.type.slice(0, -1) : request.type;
  if (typePrefix !== undefined && !TYPE_PREFIX.test(typePrefix)) {
    throw invalid('type', 'must be an event type or the start of one');
  }
  return {
    typePrefix,
    userId: request.userId?.toLowerCase(),
    outcome: request.outcome as AuditOutcome | undefined,
    from: toDate('from', request.from),
    to: toDate('to', request.to),
  };
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

function toView(row: AuditQueryRow): AuditRecordView {
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
