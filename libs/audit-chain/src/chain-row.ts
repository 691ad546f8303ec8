import { AuditActor, AuditOutcome } from '@app/contracts';
import { ChainRecord } from './chain-record';

/** The columns of a row of `audit.event` as node-postgres returns them. */
export interface AuditEventRow {
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
  user_id: string | null;
  received_at: Date;
  prev_hash: string;
  hash: string;
}

/** Every column the chain needs, in the order of AuditEventRow. */
export const AUDIT_EVENT_COLUMNS =
  'seq, id, type, occurred_at, actor, target, outcome, reasons, correlation_id, tenants, user_id, received_at, prev_hash, hash';

/** The stored row as the chain hashes it. */
export function chainRecordOfRow(row: AuditEventRow): ChainRecord {
  return {
    id: row.id,
    type: row.type,
    occurredAt: row.occurred_at.toISOString(),
    actor: row.actor,
    target: row.target,
    outcome: row.outcome,
    reasons: row.reasons,
    correlationId: row.correlation_id,
    tenants: row.tenants,
    userId: row.user_id,
    receivedAt: row.received_at.toISOString(),
  };
}
