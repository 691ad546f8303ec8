import { createHash, hash as oneShotHash } from 'node:crypto';
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
  const { receivedAt, ...rest } = record;
  return chainHashOfParts(prevHash, chainBodyParts(rest), receivedAt);
}

/** The canonical JSON of a whole record, as chainHash hashes it (for tests and tools). */
export function chainBody(record: ChainRecord): string {
  return canonicalJson({
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
  const fast = plainBodyParts(record);
  if (fast) {
    return fast;
  }
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

const str = (value: string): string => JSON.stringify(value);

/** Whether every item is a string: JSON.stringify of such an array is its canonical JSON. */
function allStrings(values: unknown): values is string[] {
  if (!Array.isArray(values)) {
    return false;
  }
  for (const value of values) {
    if (typeof value !== 'string') {
      return false;
    }
  }
  return true;
}

/**
 * chainBodyParts for the record's usual shape (every field a string, a string array or null as its
 * type says, the actor's values strings), written out in the canonical key order instead of sorted
 * and serialised key by key: the same text, a fraction of the work. Undefined for anything else,
 * which the general canonicalJson then handles.
 */
function plainBodyParts(record: Omit<ChainRecord, 'receivedAt'>): ChainBodyParts | undefined {
  const { id, type, occurredAt, actor, target, outcome, reasons, correlationId, tenants, userId } = record;
  if (
    typeof id !== 'string' ||
    typeof type !== 'string' ||
    typeof occurredAt !== 'string' ||
    typeof outcome !== 'string' ||
    typeof correlationId !== 'string' ||
    (userId !== null && typeof userId !== 'string') ||
    !allStrings(reasons) ||
    !allStrings(tenants) ||
    typeof actor !== 'object' ||
    actor === null
  ) {
    return undefined;
  }
  let actorJson = '{';
  const actorFields = actor as Record<string, unknown>;
  for (const key of Object.keys(actorFields).sort()) {
    const value = actorFields[key];
    if (value === undefined) {
      continue;
    }
    if (typeof value !== 'string') {
      return undefined;
    }
    actorJson += `${actorJson.length === 1 ? '' : ','}${str(key)}:${str(value)}`;
  }
  actorJson += '}';
  let targetJson: string;
  if (target === null) {
    targetJson = 'null';
  } else {
    const fields = target as Record<string, unknown>;
    const keys = Object.keys(fields);
    if (keys.length !== 2 || typeof fields.type !== 'string' || typeof fields.id !== 'string') {
      return undefined;
    }
    targetJson = `{"id":${str(fields.id)},"type":${str(fields.type)}}`;
  }
  return {
    head:
      `{"actor":${actorJson},"correlationId":${str(correlationId)},"id":${str(id)},` +
      `"occurredAt":${str(occurredAt)},"outcome":${str(outcome)},"reasons":${JSON.stringify(reasons)},`,
    tail:
      `,"target":${targetJson},"tenants":${JSON.stringify(tenants)},"type":${str(type)},` +
      `"userId":${userId === null ? 'null' : str(userId)}}`,
  };
}

/**
 * SHA-256 of a text, hex: the one-shot hash where Node.js has it (a few times cheaper than a Hash
 * object per record), the Hash object otherwise. Hashing `prev + body` equals hashing both in turn.
 */
export function sha256Hex(text: string): string {
  return typeof oneShotHash === 'function'
    ? oneShotHash('sha256', text, 'hex')
    : createHash('sha256').update(text, 'utf8').digest('hex');
}

/** chainHash of the record whose parts these are, received at `receivedAt` (ISO-8601). */
export function chainHashOfParts(prevHash: string, parts: ChainBodyParts, receivedAt: string): string {
  return sha256Hex(`${prevHash}${parts.head}"receivedAt":${JSON.stringify(receivedAt)}${parts.tail}`);
}
