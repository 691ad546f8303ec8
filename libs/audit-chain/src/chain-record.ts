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

/**
 * The canonical JSON of a record around its reception time, which is only known once the chain
 * head is locked: `head` + `"receivedAt":"…"` + `tail` is exactly what chainHash hashes (the keys
 * sort as actor … reasons, receivedAt, target, tenants, type, userId). The costly part, sorting and serialising, is then done
 * before the lock, and only one SHA-256 per record inside it.
 */
export interface ChainBodyParts {
  head: string;
  tail: string;
}

export function chainBodyParts(record: Omit<ChainRecord, 'receivedAt'>): ChainBodyParts {
  const before = canonicalJson({
    id: record.id,
    occurredAt: record.occurredAt,
    actor: { ...record.actor },
    outcome: record.outcome,
    reasons: record.reasons,
    correlationId: record.correlationId,
  });
  const after = canonicalJson({
    target: record.target ? { ...record.target } : null,
    tenants: record.tenants,
    type: record.type,
    userId: record.userId,
  });
  return { head: `${before.slice(0, -1)},`, tail: `,${after.slice(1)}` };
}

/** chainHash of the record whose parts these are, received at `receivedAt` (ISO-8601). */
export function chainHashOfParts(prevHash: string, parts: ChainBodyParts, receivedAt: string): string {
  return createHash('sha256')
    .update(prevHash, 'utf8')
    .update(`${parts.head}"receivedAt":${JSON.stringify(receivedAt)}${parts.tail}`, 'utf8')
    .digest('hex');
}
