import { z } from 'zod';
import { AUDIT_EVENT_TYPES, AuditActor } from '@app/contracts';
import { ChainRecord } from '@app/audit-chain';

/** Text PostgreSQL can store (no NUL) and of a bounded size, so a valid event never fails to insert. */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL');

/** Lower-cased, as PostgreSQL gives a uuid back; the chain hashes what is read back. */
const uuid = z.guid().transform((value) => value.toLowerCase());

/**
 * The wire form of an audit event (API.md "Audit stream"). Unknown fields are dropped, so nothing a
 * producer adds by mistake (a password, a code) reaches the trail. The type must look like
 * `<service>.<fact>…` but need not be in AUDIT_EVENT_TYPES: a producer deployed before this service
 * may state a new kind of fact, and AUDIT-1 says no fact is lost.
 */
export const auditEventPayloadSchema = z.object({
  id: uuid,
  type: z
    .string()
    .regex(/^[a-z][a-z0-9_-]*(\.[a-z0-9_]+){1,5}$/)
    .max(100),
  occurredAt: z.iso.datetime({ offset: true }),
  actor: z.object({
    userId: uuid.optional(),
    tenant: text(64).min(1).optional(),
    ip: text(64).optional(),
    userAgent: text(1024).optional(),
  }),
  target: z
    .object({ type: text(64), id: text(256) })
    .optional()
    .nullable(),
  outcome: z.enum(['success', 'failure', 'denied', 'info']),
  reasons: z.array(text(100)).max(50).optional(),
  correlationId: text(200).min(1),
  tenants: z.array(text(64).min(1)).max(100).optional(),
});

/** A valid event in the normalised form the store inserts and the chain hashes. */
export type NormalizedAuditEvent = Omit<ChainRecord, 'receivedAt'>;

export type PayloadParseResult =
  | { ok: true; event: NormalizedAuditEvent; registeredType: boolean }
  /** Where the payload is wrong (paths and zod codes only: never a value from the payload). */
  | { ok: false; problems: string[] };

const REGISTERED_TYPES: ReadonlySet<string> = new Set(AUDIT_EVENT_TYPES);

/** Parses the bytes of a stream message into a normalised event, or says where it is malformed. */
export function parseAuditEventPayload(data: Uint8Array): PayloadParseResult {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  } catch {
    return { ok: false, problems: ['payload is not JSON'] };
  }
  const parsed = auditEventPayloadSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`),
    };
  }
  const e = parsed.data;
  // The tenants that may see the fact: those the producer named and the actor's own.
  const tenants = [...new Set([...(e.tenants ?? []), ...(e.actor.tenant ? [e.actor.tenant] : [])])].sort();
  // Only the fields that are present: jsonb would otherwise keep `null` keys that the hash sees.
  const actor: AuditActor = {
    ...(e.actor.userId !== undefined ? { userId: e.actor.userId } : {}),
    ...(e.actor.tenant !== undefined ? { tenant: e.actor.tenant } : {}),
    ...(e.actor.ip !== undefined ? { ip: e.actor.ip } : {}),
    ...(e.actor.userAgent !== undefined ? { userAgent: e.actor.userAgent } : {}),
  };
  return {
    ok: true,
    registeredType: REGISTERED_TYPES.has(e.type),
    event: {
      id: e.id,
      type: e.type,
      // Milliseconds in UTC: what a timestamptz column gives back through node-postgres.
      occurredAt: new Date(e.occurredAt).toISOString(),
      actor,
      target: e.target ?? null,
      outcome: e.outcome,
      reasons: e.reasons ?? [],
      correlationId: e.correlationId,
      tenants,
      userId: e.actor.userId ?? null,
    },
  };
}
