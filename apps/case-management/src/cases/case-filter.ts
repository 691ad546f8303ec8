import { DomainError, ErrorCode } from '@app/contracts';
import { SqlParams } from '../common/sql-params';

/** CASE-8 filter fields, with the SQL expression each reads (over alias `c`) and its kind. */
const FIELDS = {
  number: { kind: 'text', sql: 'c.number' },
  status: { kind: 'text', sql: 'c.status' },
  category: { kind: 'text', sql: 'c.category_code' },
  subject: { kind: 'text', sql: 'c.subject' },
  tenant: { kind: 'text', sql: 'c.tenant_number' },
  contractor: { kind: 'text', sql: 'c.contractor' },
  service: { kind: 'text', sql: 'c.service_code' },
  requester: { kind: 'text', sql: 'c.requester_id::text' },
  watcher: { kind: 'set', sql: '' },
  created: { kind: 'date', sql: 'c.created_at' },
  updated: { kind: 'date', sql: 'c.updated_at' },
} as const;

export type FilterField = keyof typeof FIELDS;
export const FILTER_FIELDS = Object.keys(FIELDS) as FilterField[];
/** Operators filter on every field; customers see one tenant, so `tenant` is no filter of theirs. */
export const OPERATOR_FILTER_FIELDS: ReadonlySet<FilterField> = new Set(FILTER_FIELDS);
export const CUSTOMER_FILTER_FIELDS: ReadonlySet<FilterField> = new Set(
  FILTER_FIELDS.filter((f) => f !== 'tenant'),
);
export const FILTER_OPS = [
  'eq',
  'ne',
  'in',
  'nin',
  'empty',
  'notEmpty',
  'lt',
  'gt',
  'lte',
  'gte',
  'between',
  'contains',
  'notContains',
  'startsWith',
  'sameAs',
  'differentFrom',
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

/** What each kind of field accepts. */
const OPS_BY_KIND: Record<'text' | 'date' | 'set', ReadonlySet<FilterOp>> = {
  text: new Set(FILTER_OPS),
  date: new Set(FILTER_OPS.filter((op) => !['contains', 'notContains', 'startsWith'].includes(op))),
  set: new Set<FilterOp>(['eq', 'ne', 'in', 'nin', 'empty', 'notEmpty']),
};

/** Bounds far above what a person builds in a UI, so a filter stays a small statement. */
const MAX_GROUPS = 10;
const MAX_CONDITIONS = 20;
const MAX_VALUES = 100;
const MAX_TEXT = 200;

export interface FilterCondition {
  field: FilterField;
  op: FilterOp;
  value?: unknown;
}

function invalid(message: string): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, { fields: { filter: [message] } });
}

/**
 * Parses the `filter` query parameter (CASE-8): a JSON array of OR groups, each a non-empty array of
 * conditions that must all hold. Anything else — bad JSON, an unknown field or op, a value of the
 * wrong shape — is `400 validation_failed`, never a database error.
 */
export function parseFilter(json: string, allowed: ReadonlySet<FilterField>): FilterCondition[][] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw invalid('filter must be JSON');
  }
  if (!Array.isArray(parsed) || parsed.length > MAX_GROUPS) {
    throw invalid(`filter must be an array of at most ${MAX_GROUPS} groups`);
  }
  return parsed.map((group: unknown) => {
    if (!Array.isArray(group) || group.length === 0 || group.length > MAX_CONDITIONS) {
      throw invalid(`each group must be an array of 1 to ${MAX_CONDITIONS} conditions`);
    }
    return group.map((condition: unknown) => parseCondition(condition, allowed));
  });
}

function parseCondition(raw: unknown, allowed: ReadonlySet<FilterField>): FilterCondition {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalid('a condition must be an object {field, op, value}');
  }
  const { field, op, value, ...rest } = raw as Record<string, unknown>;
  if (Object.keys(rest).length > 0) {
    throw invalid('a condition has only field, op and value');
  }
  if (typeof field !== 'string' || !Object.hasOwn(FIELDS, field) || !allowed.has(field as FilterField)) {
    throw invalid(`field must be one of ${[...allowed].join(', ')}`);
  }
  const kind = FIELDS[field as FilterField].kind;
  if (typeof op !== 'string' || !OPS_BY_KIND[kind].has(op as FilterOp)) {
    throw invalid(`op ${String(op)} does not apply to ${field}`);
  }
  const condition = { field: field as FilterField, op: op as FilterOp, value };
  checkValue(condition, kind, allowed);
  return condition;
}

function checkValue(
  c: FilterCondition,
  kind: 'text' | 'date' | 'set',
  allowed: ReadonlySet<FilterField>,
): void {
  const scalar = (v: unknown) => {
    if (kind === 'date') {
      if (
        typeof v !== 'string' ||
        !/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) ||
        Number.isNaN(Date.parse(v))
      ) {
        throw invalid(`${c.field} needs an ISO 8601 date or time`);
      }
      return;
    }
    if (typeof v !== 'string' || v.length > MAX_TEXT || (kind === 'set' && !/^[0-9a-f-]{36}$/i.test(v))) {
      throw invalid(
        `${c.field} needs ${kind === 'set' ? 'a user id' : `a string of at most ${MAX_TEXT} characters`}`,
      );
    }
  };
  switch (c.op) {
    case 'empty':
    case 'notEmpty':
      if (c.value !== undefined && c.value !== null) {
        throw invalid(`${c.op} takes no value`);
      }
      return;
    case 'in':
    case 'nin':
      if (!Array.isArray(c.value) || c.value.length === 0 || c.value.length > MAX_VALUES) {
        throw invalid(`${c.op} needs an array of 1 to ${MAX_VALUES} values`);
      }
      c.value.forEach(scalar);
      return;
    case 'between':
      if (!Array.isArray(c.value) || c.value.length !== 2) {
        throw invalid('between needs [from, to]');
      }
      c.value.forEach(scalar);
      return;
    case 'sameAs':
    case 'differentFrom': {
      const other = c.value;
      if (typeof other !== 'string' || !Object.hasOwn(FIELDS, other) || !allowed.has(other as FilterField)) {
        throw invalid(`${c.op} needs another field's name`);
      }
      if (FIELDS[other as FilterField].kind !== kind) {
        throw invalid(`${c.field} and ${other} cannot be compared`);
      }
      return;
    }
    case 'contains':
    case 'notContains':
    case 'startsWith':
      scalar(c.value);
      if ((c.value as string).length === 0) {
        throw invalid(`${c.op} needs a non-empty string`);
      }
      return;
    default:
      scalar(c.value);
  }
}

/** The parsed filter as one SQL condition; every value is a parameter. */
export function filterSql(groups: FilterCondition[][], params: SqlParams): string | null {
  if (groups.length === 0) {
    return null;
  }
  return `(${groups.map((g) => `(${g.map((c) => conditionSql(c, params)).join(' AND ')})`).join(' OR ')})`;
}

function conditionSql(c: FilterCondition, params: SqlParams): string {
  const field = FIELDS[c.field];
  if (field.kind === 'set') {
    return watcherSql(c, params);
  }
  const x = field.sql;
  const date = field.kind === 'date';
  const cast = date ? '::timestamptz' : '';
  // Text compares by code point (COLLATE "C"), the same whatever the database's locale.
  const cmp = date ? x : `${x} COLLATE "C"`;
  const p = (v: unknown) => `${params.add(date ? new Date(v as string) : v)}${cast}`;
  switch (c.op) {
    case 'eq':
      return `${x} = ${p(c.value)}`;
    case 'ne':
      return `${x} IS DISTINCT FROM ${p(c.value)}`;
    case 'in':
      return `${x} = ANY(${params.add(values(c, date))}${date ? '::timestamptz[]' : '::text[]'})`;
    case 'nin':
      return `(${x} IS NULL OR NOT (${x} = ANY(${params.add(values(c, date))}${date ? '::timestamptz[]' : '::text[]'})))`;
    case 'empty':
      return date ? `${x} IS NULL` : `(${x} IS NULL OR ${x} = '')`;
    case 'notEmpty':
      return date ? `${x} IS NOT NULL` : `(${x} IS NOT NULL AND ${x} <> '')`;
    case 'lt':
      return `${cmp} < ${p(c.value)}`;
    case 'gt':
      return `${cmp} > ${p(c.value)}`;
    case 'lte':
      return `${cmp} <= ${p(c.value)}`;
    case 'gte':
      return `${cmp} >= ${p(c.value)}`;
    case 'between': {
      const [from, to] = c.value as unknown[];
      return `(${cmp} >= ${p(from)} AND ${cmp} <= ${p(to)})`;
    }
    case 'contains':
      return `strpos(lower(${x}), lower(${p(c.value)})) > 0`;
    case 'notContains':
      return `(${x} IS NULL OR strpos(lower(${x}), lower(${p(c.value)})) = 0)`;
    case 'startsWith':
      return `left(lower(${x}), length(${p(c.value)})) = lower(${p(c.value)})`;
    case 'sameAs':
      return `${x} = ${FIELDS[c.value as FilterField].sql}`;
    case 'differentFrom':
      return `${x} IS DISTINCT FROM ${FIELDS[c.value as FilterField].sql}`;
  }
}

function values(c: FilterCondition, date: boolean): unknown[] {
  return (c.value as string[]).map((v) => (date ? new Date(v) : v));
}

function watcherSql(c: FilterCondition, params: SqlParams): string {
  const any = (condition: string) =>
    `EXISTS (SELECT 1 FROM case_management.case_watcher w WHERE w.case_id = c.id${condition})`;
  switch (c.op) {
    case 'eq':
      return any(` AND w.user_id::text = ${params.add(String(c.value).toLowerCase())}`);
    case 'ne':
      return `NOT ${any(` AND w.user_id::text = ${params.add(String(c.value).toLowerCase())}`)}`;
    case 'in':
      return any(
        ` AND w.user_id::text = ANY(${params.add((c.value as string[]).map((v) => v.toLowerCase()))}::text[])`,
      );
    case 'nin':
      return `NOT ${any(` AND w.user_id::text = ANY(${params.add((c.value as string[]).map((v) => v.toLowerCase()))}::text[])`)}`;
    case 'empty':
      return `NOT ${any('')}`;
    default:
      return any('');
  }
}
