import type { CaseView } from './types';

/** CASE-8's filter fields a customer may use (the tenant is always theirs, so not a filter). */
export const FILTER_FIELDS = [
  'number',
  'status',
  'category',
  'subject',
  'contractor',
  'service',
  'requester',
  'watcher',
  'created',
  'updated',
] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

/** Every operator of CASE-8, by its name in the API's filter syntax. */
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

type Kind = 'text' | 'date' | 'person' | 'watcher';

const KIND: Record<FilterField, Kind> = {
  number: 'text',
  status: 'text',
  category: 'text',
  subject: 'text',
  contractor: 'text',
  service: 'text',
  requester: 'person',
  watcher: 'watcher',
  created: 'date',
  updated: 'date',
};

const TEXT_ONLY: ReadonlySet<FilterOp> = new Set(['contains', 'notContains', 'startsWith']);
const WATCHER_OPS: readonly FilterOp[] = ['eq', 'ne', 'in', 'nin', 'empty', 'notEmpty'];

/** The operators that apply to a field, as the API checks them (a wrong one is 400). */
export function opsFor(field: FilterField): FilterOp[] {
  switch (KIND[field]) {
    case 'watcher':
      return [...WATCHER_OPS];
    case 'date':
      return FILTER_OPS.filter((op) => !TEXT_ONLY.has(op));
    case 'text':
    case 'person':
      return [...FILTER_OPS];
  }
}

export function isDateField(field: FilterField): boolean {
  return KIND[field] === 'date';
}

/** Fields a `sameAs` / `differentFrom` condition may compare with: another of the same kind. */
export function comparableFields(field: FilterField): FilterField[] {
  const kind = KIND[field] === 'person' ? 'text' : KIND[field];
  return FILTER_FIELDS.filter(
    (other) => other !== field && (KIND[other] === 'person' ? 'text' : KIND[other]) === kind,
  );
}

/** What a condition's value input looks like for an operator. */
export function valueShape(op: FilterOp): 'none' | 'one' | 'list' | 'range' | 'field' {
  switch (op) {
    case 'empty':
    case 'notEmpty':
      return 'none';
    case 'in':
    case 'nin':
      return 'list';
    case 'between':
      return 'range';
    case 'sameAs':
    case 'differentFrom':
      return 'field';
    default:
      return 'one';
  }
}

/**
 * One condition as the builder edits it: `value` is the single value, a comma-separated list (in,
 * not in), the start of a range (with `to`), or another field's name (same as, different from).
 */
export interface Condition {
  field: FilterField;
  op: FilterOp;
  value: string;
  to: string;
}

/** OR groups of conditions that must all hold. */
export type FilterGroups = Condition[][];

export function newCondition(field: FilterField = 'status'): Condition {
  return { field, op: 'eq', value: '', to: '' };
}

/** A condition with another field: the operator and value kept where they still apply. */
export function withField(condition: Condition, field: FilterField): Condition {
  const op = opsFor(field).includes(condition.op) ? condition.op : 'eq';
  return { field, op, value: valueShape(op) === 'field' ? (comparableFields(field)[0] ?? '') : '', to: '' };
}

export function withOp(condition: Condition, op: FilterOp): Condition {
  const shape = valueShape(op);
  const value =
    shape === 'field'
      ? (comparableFields(condition.field)[0] ?? '')
      : valueShape(condition.op) === 'field'
        ? ''
        : condition.value;
  return { ...condition, op, value, to: shape === 'range' ? condition.to : '' };
}

export function listValues(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/** Why a condition cannot be sent yet (a message key), or undefined when it is complete. */
export function conditionProblem(condition: Condition): string | undefined {
  switch (valueShape(condition.op)) {
    case 'none':
      return undefined;
    case 'list':
      return listValues(condition.value).length === 0 ? 'cases.filter.needValues' : undefined;
    case 'range':
      return condition.value.trim() && condition.to.trim() ? undefined : 'cases.filter.needRange';
    case 'field':
    case 'one':
      return condition.value.trim() ? undefined : 'cases.filter.needValue';
  }
}

/** A condition in the API's syntax: `{field, op, value}`. */
export function toApiCondition(c: Condition): { field: FilterField; op: FilterOp; value?: unknown } {
  switch (valueShape(c.op)) {
    case 'none':
      return { field: c.field, op: c.op };
    case 'list':
      return { field: c.field, op: c.op, value: listValues(c.value) };
    case 'range':
      return { field: c.field, op: c.op, value: [c.value.trim(), c.to.trim()] };
    case 'field':
    case 'one':
      return { field: c.field, op: c.op, value: c.value.trim() };
  }
}

/** The `filter` parameter: JSON of the complete conditions, empty groups left out; undefined when none. */
export function filterParam(groups: FilterGroups): string | undefined {
  const complete = groups
    .map((group) => group.filter((c) => conditionProblem(c) === undefined).map(toApiCondition))
    .filter((group) => group.length > 0);
  return complete.length > 0 ? JSON.stringify(complete) : undefined;
}

function isField(value: unknown): value is FilterField {
  return typeof value === 'string' && (FILTER_FIELDS as readonly string[]).includes(value);
}

function isOp(value: unknown): value is FilterOp {
  return typeof value === 'string' && (FILTER_OPS as readonly string[]).includes(value);
}

/** A saved filter's JSON back into the builder; conditions the builder cannot show are left out. */
export function parseFilterParam(json: string | null | undefined): FilterGroups {
  if (!json) {
    return [];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) {
    return [];
  }
  return parsed
    .filter((group): group is unknown[] => Array.isArray(group))
    .map((group) =>
      group.flatMap((raw): Condition[] => {
        const { field, op, value } = (raw ?? {}) as Record<string, unknown>;
        if (!isField(field) || !isOp(op)) {
          return [];
        }
        const list = Array.isArray(value) ? value.map(String) : [];
        switch (valueShape(op)) {
          case 'none':
            return [{ field, op, value: '', to: '' }];
          case 'list':
            return [{ field, op, value: list.join(', '), to: '' }];
          case 'range':
            return [{ field, op, value: list[0] ?? '', to: list[1] ?? '' }];
          case 'field':
          case 'one':
            return [{ field, op, value: typeof value === 'string' ? value : '', to: '' }];
        }
      }),
    )
    .filter((group) => group.length > 0);
}

/** The sortable columns of the case list (CASE-8). */
export const SORT_FIELDS = [
  'number',
  'status',
  'category',
  'subject',
  'tenant',
  'contractor',
  'service',
  'requester',
  'created',
  'updated',
] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export interface SortKey {
  field: SortField;
  descending: boolean;
}

export const DEFAULT_SORT: SortKey[] = [{ field: 'updated', descending: true }];

export function sortParam(keys: SortKey[]): string {
  return keys.map((k) => `${k.descending ? '-' : ''}${k.field}`).join(',');
}

export function parseSort(sort: string | null | undefined): SortKey[] {
  if (!sort) {
    return DEFAULT_SORT;
  }
  const keys = sort
    .split(',')
    .map((k) => k.trim())
    .flatMap((k): SortKey[] => {
      const field = k.replace(/^-/, '');
      return (SORT_FIELDS as readonly string[]).includes(field)
        ? [{ field: field as SortField, descending: k.startsWith('-') }]
        : [];
    });
  return keys.length > 0 ? keys : DEFAULT_SORT;
}

/**
 * A click on a column: the column becomes the first key (ascending), or flips when it already is;
 * with `add` (Shift) it is added after the others instead, or flips where it stands.
 */
export function toggleSort(keys: SortKey[], field: SortField, add = false): SortKey[] {
  const current = keys.find((k) => k.field === field);
  if (add) {
    return current
      ? keys.map((k) => (k.field === field ? { ...k, descending: !k.descending } : k))
      : [...keys, { field, descending: false }];
  }
  if (keys[0]?.field === field) {
    return [{ field, descending: !keys[0].descending }];
  }
  return [{ field, descending: false }];
}

/** Everything the list asks `GET /cases` for. */
export interface CaseQuery {
  view: CaseView;
  q: string;
  number: string;
  groups: FilterGroups;
  sort: SortKey[];
  page: number;
  pageSize: number;
}

export const CASE_NUMBER_SEARCH = /^(CS)?[0-9]{1,7}$|^CS$/i;

/**
 * The query parameters of `GET /cases`: defaults left out so the address stays short; a keyword
 * under two characters, or a number the API would refuse, is not sent (the form says why).
 */
export function caseQueryParams(query: CaseQuery): Record<string, string | number | undefined> {
  const q = query.q.trim();
  const number = query.number.trim();
  const sort = sortParam(query.sort);
  return {
    view: query.view === 'all' ? undefined : query.view,
    q: q.length >= 2 ? q : undefined,
    number: CASE_NUMBER_SEARCH.test(number) ? number.toUpperCase() : undefined,
    filter: filterParam(query.groups),
    sort: sort === sortParam(DEFAULT_SORT) ? undefined : sort,
    page: query.page,
    pageSize: query.pageSize,
  };
}

/** The same as a query string, as the API client sends it. */
export function caseQueryString(query: CaseQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(caseQueryParams(query))) {
    if (value !== undefined) {
      params.set(key, String(value));
    }
  }
  return params.toString();
}
