import { z } from 'zod';
import { AUDIT_EVENT_TYPES, AuditActor } from '@app/contracts';
import { ChainRecord } from '@app/audit-chain';

/** Text PostgreSQL can store (no NUL) and of a bounded size, so a valid event never fails to insert. */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL');

const guid = z.guid();
const isoDateTime = z.iso.datetime({ offset: true });
/** Lower-cased, as PostgreSQL gives a uuid back; the chain hashes what is read back. */
const uuid = guid.transform((value) => value.toLowerCase());
const TYPE_PATTERN = /^[a-z][a-z0-9_-]*(\.[a-z0-9_]+){1,5}$/;
const OUTCOMES = ['success', 'failure', 'denied', 'info'] as const;

/**
 * The wire form of an audit event (API.md "Audit stream"). Unknown fields are dropped, so nothing a
 * producer adds by mistake (a password, a code) reaches the trail. The type must look like
 * `<service>.<fact>…` but need not be in AUDIT_EVENT_TYPES: a producer deployed before this service
 * may state a new kind of fact, and AUDIT-1 says no fact is lost.
 */
export const auditEventPayloadSchema = z.object({
  id: uuid,
  type: z.string().regex(TYPE_PATTERN).max(100),
  occurredAt: isoDateTime,
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
  outcome: z.enum(OUTCOMES),
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

/** What the schema's parse gives (the uuids already lower-cased, which normalise does again). */
type AuditEventPayload = z.infer<typeof auditEventPayloadSchema>;

/** Parses the bytes of a stream message into a normalised event, or says where it is malformed. */
export function parseAuditEventPayload(data: Uint8Array): PayloadParseResult {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  } catch {
    return { ok: false, problems: ['payload is not JSON'] };
  }
  // The hot path: a payload the plain checks accept is one the schema accepts, with the same result
  // (see isPlainValidPayload); anything else, valid or not, goes through the schema, which then
  // decides and names the problems.
  if (isPlainValidPayload(json)) {
    return normalise(json);
  }
  const parsed = auditEventPayloadSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`),
    };
  }
  return normalise(parsed.data);
}

function normalise(e: AuditEventPayload): PayloadParseResult {
  const { tenant, ip, userAgent } = e.actor;
  const userId = e.actor.userId?.toLowerCase();
  // The tenants that may see the fact: those the producer named and the actor's own.
  const tenants =
    e.tenants === undefined || e.tenants.length === 0
      ? tenant
        ? [tenant]
        : []
      : [...new Set(tenant ? [...e.tenants, tenant] : e.tenants)].sort();
  // Only the fields that are present: jsonb would otherwise keep `null` keys that the hash sees.
  const actor: AuditActor = {};
  if (userId !== undefined) {
    actor.userId = userId;
  }
  if (tenant !== undefined) {
    actor.tenant = tenant;
  }
  if (ip !== undefined) {
    actor.ip = ip;
  }
  if (userAgent !== undefined) {
    actor.userAgent = userAgent;
  }
  return {
    ok: true,
    registeredType: REGISTERED_TYPES.has(e.type),
    event: {
      id: e.id.toLowerCase(),
      type: e.type,
      // Milliseconds in UTC: what a timestamptz column gives back through node-postgres.
      occurredAt: new Date(e.occurredAt).toISOString(),
      actor,
      target: e.target ? { type: e.target.type, id: e.target.id } : null,
      outcome: e.outcome,
      reasons: e.reasons ?? [],
      correlationId: e.correlationId,
      tenants,
      userId: userId ?? null,
    },
  };
}

/*
 * The hot path's checks: the schema's rules written out as plain tests, about ten times cheaper
 * per event than the schema's parse, which is kept for everything they do not accept. They must
 * never accept what the schema refuses (the spec compares the two over valid and broken payloads):
 * where in doubt they refuse, and the schema decides. The uuid and time patterns are the schema's own.
 */
const GUID_PATTERN: RegExp | undefined = guid._zod.def.pattern;
const DATETIME_PATTERN: RegExp | undefined = isoDateTime._zod.def.pattern;
const OUTCOME_SET: ReadonlySet<unknown> = new Set(OUTCOMES);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown, max: number, min = 0): value is string {
  return typeof value === 'string' && value.length <= max && value.length >= min && !value.includes('\u0000');
}

function isOptionalText(value: unknown, max: number, min = 0): boolean {
  return value === undefined || isText(value, max, min);
}

function isTextArray(value: unknown, maxItems: number, maxLength: number, minLength = 0): boolean {
  if (!Array.isArray(value) || value.length > maxItems) {
    return false;
  }
  for (const item of value) {
    if (!isText(item, maxLength, minLength)) {
      return false;
    }
  }
  return true;
}

function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID_PATTERN !== undefined && GUID_PATTERN.test(value);
}

function isPlainValidPayload(json: unknown): json is AuditEventPayload {
  if (!isRecord(json)) {
    return false;
  }
  const { id, type, occurredAt, actor, target, outcome, reasons, correlationId, tenants } = json;
  return (
    isGuid(id) &&
    typeof type === 'string' &&
    type.length <= 100 &&
    TYPE_PATTERN.test(type) &&
    typeof occurredAt === 'string' &&
    DATETIME_PATTERN !== undefined &&
    DATETIME_PATTERN.test(occurredAt) &&
    isRecord(actor) &&
    (actor.userId === undefined || isGuid(actor.userId)) &&
    isOptionalText(actor.tenant, 64, 1) &&
    isOptionalText(actor.ip, 64) &&
    isOptionalText(actor.userAgent, 1024) &&
    (target === undefined ||
      target === null ||
      (isRecord(target) && isText(target.type, 64) && isText(target.id, 256))) &&
    OUTCOME_SET.has(outcome) &&
    (reasons === undefined || isTextArray(reasons, 50, 100)) &&
    isText(correlationId, 200, 1) &&
    (tenants === undefined || isTextArray(tenants, 100, 64, 1))
  );
}

/** For the spec: the schema's verdict alone, without the hot path. */
export function parseWithSchemaOnly(json: unknown): PayloadParseResult {
  const parsed = auditEventPayloadSchema.safeParse(json);
  return parsed.success ? normalise(parsed.data) : { ok: false, problems: ['rejected'] };
}

/** For the spec: whether the hot path's checks accept a payload. */
export const acceptedByPlainChecks = (json: unknown): boolean => isPlainValidPayload(json);
