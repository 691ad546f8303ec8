import { ChainRecord } from '@app/audit-chain';
import { AuditEventRecord } from './audit-event-record.entity';

/** The stored row as the chain hashes it; the inverse of what AuditEventRepository.append inserts. */
export function toChainRecord(row: AuditEventRecord): ChainRecord {
  return {
    id: row.id,
    type: row.type,
    occurredAt: row.occurredAt.toISOString(),
    actor: row.actor,
    target: row.target,
    outcome: row.outcome,
    reasons: row.reasons,
    correlationId: row.correlationId,
    tenants: row.tenants,
    userId: row.userId,
    receivedAt: row.receivedAt.toISOString(),
  };
}
