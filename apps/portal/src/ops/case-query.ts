import { CASE_STATUSES, type CaseStatus } from './types';

export const CASE_PAGE_SIZE = 20;

/** The operator case list's filters: a tenant, a status (or every open one), a keyword. */
export interface CaseFilters {
  tenant: string;
  status: CaseStatus | 'open' | '';
  q: string;
  page: number;
}

interface Condition {
  field: string;
  op: string;
  value: unknown;
}

/**
 * The filters as `GET /ops/cases` parameters: one AND group of conditions in the `filter` JSON
 * (API.md, CASE-8), the keyword only from 2 characters (the API's minimum), newest update first.
 */
export function caseListQuery(filters: CaseFilters): Record<string, string | number> {
  const conditions: Condition[] = [];
  const tenant = filters.tenant.trim().toUpperCase();
  if (tenant) {
    conditions.push({ field: 'tenant', op: 'eq', value: tenant });
  }
  if (filters.status === 'open') {
    conditions.push({ field: 'status', op: 'ne', value: 'closed' });
  } else if ((CASE_STATUSES as readonly string[]).includes(filters.status)) {
    conditions.push({ field: 'status', op: 'eq', value: filters.status });
  }
  const query: Record<string, string | number> = {
    sort: '-updated',
    page: Math.max(1, filters.page),
    pageSize: CASE_PAGE_SIZE,
  };
  if (conditions.length > 0) {
    query.filter = JSON.stringify([conditions]);
  }
  const q = filters.q.trim();
  if (q.length >= 2) {
    query.q = q;
  }
  return query;
}
