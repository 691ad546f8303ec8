import {
  CASE_DEFAULT_PAGE_SIZE,
  CASE_TOTAL_CAP,
  CaseListQueryDto,
  DomainError,
  ErrorCode,
} from '@app/contracts';
import { SqlParams } from '../common/sql-params';
import { CASE_VIEW_PREDICATES, CaseListSql } from './cases.repository';

/** Sortable columns (CASE-8 "sort by any column"), by the API's field name. */
export const SORT_COLUMNS: Record<string, string> = {
  number: 'c.number',
  status: 'c.status',
  category: 'c.category_code',
  subject: 'c.subject',
  tenant: 'c.tenant_number',
  contractor: 'c.contractor',
  service: 'c.service_code',
  requester: 'c.requester_name',
  created: 'c.created_at',
  updated: 'c.updated_at',
};

/**
 * The one sortable column that may be empty (an operator's or an alert's case has no requester):
 * its empty values go last in both directions. The others are NOT NULL and are sorted without a
 * NULLS clause, so that the order matches their indexes (`updated_at DESC` is NULLS FIRST to
 * PostgreSQL): with `NULLS LAST` on `-updated`, the first page of a million cases was a sort of the
 * whole table instead of twenty rows read from the index.
 */
const NULLABLE_SORT_KEYS = new Set(['requester']);

/** Keys of a sort at most; more cannot change an order that `number` (unique) already decides. */
const MAX_SORT_KEYS = 11;

function invalid(field: string, message: string): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, { fields: { [field]: [message] } });
}

/** `-updated,number` → ORDER BY; the case number last breaks ties so pages never overlap. */
export function orderByOf(sort: string | undefined): string {
  const keys = (sort ?? '-updated').split(',').map((k) => k.trim());
  if (keys.length > MAX_SORT_KEYS || keys.some((k) => k === '' || k === '-')) {
    throw invalid('sort', 'sort must be comma-separated field names, each optionally prefixed with -');
  }
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const key of keys) {
    const descending = key.startsWith('-');
    const name = descending ? key.slice(1) : key;
    const column = SORT_COLUMNS[name];
    if (!column) {
      throw invalid('sort', `sort field must be one of ${Object.keys(SORT_COLUMNS).join(', ')}`);
    }
    if (seen.has(name)) {
      throw invalid('sort', `sort names ${name} twice`);
    }
    seen.add(name);
    parts.push(
      `${column} ${descending ? 'DESC' : 'ASC'}${NULLABLE_SORT_KEYS.has(name) ? ' NULLS LAST' : ''}`,
    );
  }
  if (!seen.has('number')) {
    parts.push('c.number ASC');
  }
  return parts.join(', ');
}

/** What a list query contributes besides the scope, which the repository adds itself. */
export function caseListSql(query: CaseListQueryDto, extra: (params: SqlParams) => string[]): CaseListSql {
  const params = new SqlParams();
  const where: string[] = [];
  const view = query.view ?? 'all';
  if (view !== 'all') {
    where.push(CASE_VIEW_PREDICATES[view]);
  }
  if (query.number !== undefined) {
    // A full number or its start, typed with or without `CS`: `123` finds CS0000123.
    const digits = query.number.toUpperCase().replace(/^CS/, '');
    const number = digits.length === 7 ? `CS${digits}` : null;
    where.push(
      number
        ? `c.number = ${params.add(number)}`
        : `ltrim(substr(c.number, 3), '0') LIKE ${params.add(`${digits.replace(/^0+/, '')}%`)}`,
    );
  }
  where.push(...extra(params));
  const pageSize = query.pageSize ?? CASE_DEFAULT_PAGE_SIZE;
  const page = query.page ?? 1;
  return {
    where,
    orderBy: orderByOf(query.sort),
    params,
    limit: pageSize,
    offset: (page - 1) * pageSize,
    countCap: CASE_TOTAL_CAP,
  };
}
