import { z } from 'zod';
import { AUDIT_OUTCOMES } from './types';

/** The filters as the form holds them; the times are the browser's local `datetime-local` values. */
export const auditFilterSchema = z.object({
  // The API's pattern: a type or its start, optionally ending in `.*` (API.md, AUDIT-4).
  type: z
    .string()
    .trim()
    .refine((v) => v === '' || /^[a-z0-9_.-]{1,100}(\.\*)?$/.test(v), 'admin.validation.auditType'),
  // An admin picks the user from a list; an operator types the internal ID (the API takes 64 at most).
  userId: z
    .string()
    .trim()
    .refine((v) => v === '' || /^[A-Za-z0-9-]{1,64}$/.test(v), 'admin.validation.auditUser'),
  outcome: z.union([z.literal(''), z.enum(AUDIT_OUTCOMES)]),
  from: z.string(),
  to: z.string(),
});
export type AuditFilterForm = z.infer<typeof auditFilterSchema>;

export const NO_FILTERS: AuditFilterForm = { type: '', userId: '', outcome: '', from: '', to: '' };

export type AuditQuery = Partial<Record<'type' | 'userId' | 'outcome' | 'from' | 'to', string>>;

/** A `datetime-local` value (the user's own clock) as the ISO 8601 instant the API takes. */
function instant(local: string): string | undefined {
  if (!local) {
    return undefined;
  }
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The query parameters of `GET /admin/audit-events` for the filters; empty ones are left out. */
export function auditQuery(form: AuditFilterForm): AuditQuery {
  const query: AuditQuery = {};
  if (form.type.trim()) {
    query.type = form.type.trim();
  }
  if (form.userId.trim()) {
    query.userId = form.userId.trim();
  }
  if (form.outcome) {
    query.outcome = form.outcome;
  }
  const from = instant(form.from);
  const to = instant(form.to);
  if (from) {
    query.from = from;
  }
  if (to) {
    query.to = to;
  }
  return query;
}
