import { createHash } from 'node:crypto';
import { AuditActor, AuditOutcome } from '@app/contracts';
import { canonicalJson } from './canonical-json.util';

/** prev_hash of the first record of the chain. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Everything a stored audit record says, in the normalised form that is both inserted and read back
 * (lower-case uuids, ISO-8601 UTC times with milliseconds, absent values as null or []). The chain
 * hashes exactly this, so any change to a stored column shows up on verification.
 */
export interface ChainRecord {
  id: string;
  type: string;
  occurredAt: string;
  actor: AuditActor;
  target: { type: string; id: string } | null;
  outcome: AuditOutcome;
  reasons: string[];
  correlationId: string;
  tenants: string[];
  userId: string | null;
  receivedAt: string;
}

/** hash = sha256(prev_hash || canonical JSON of the record), hex. */
export function chainHash(prevHash: string, record: ChainRecord): string {
  const body = canonicalJson({
    id: record.id,
    type: record.type,
    occurredAt: record.occurredAt,
    actor: { ...record.actor },
    target: record.target ? { ...record.target } : null,
    outcome: record.outcome,
    reasons: record.reasons,
    correlationId: record.correlationId,
    tenants: record.tenants,
    userId: record.userId,
    receivedAt: record.receivedAt,
  });
  return createHash('sha256').update(prevHash, 'utf8').update(body, 'utf8').digest('hex');
}
