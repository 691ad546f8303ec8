import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useApi } from '../session/services';
import { ErrorAlert, Loading } from '../ui/error-alert';
import { Field } from '../ui/field';
import { caseListQuery, CASE_PAGE_SIZE, type CaseFilters } from './case-query';
import { SelectField, useDateTime } from './fields';
import { useTenants } from './tenants-page';
import { useCaseLabels } from './use-labels';
import { CASE_STATUSES, type CaseList } from './types';
import { Pager } from '../ui/pager';

/** Every tenant's cases (CASE-8), filtered by tenant and status, newest update first. */
export function OpsCasesPage() {
  const { t } = useTranslation();
  const api = useApi();
  const when = useDateTime();
  const tenants = useTenants();
  const labels = useCaseLabels();
  const [filters, setFilters] = useState<CaseFilters>({ tenant: '', status: 'open', q: '', page: 1 });
  const form = useForm({ defaultValues: { tenant: '', status: 'open' as CaseFilters['status'], q: '' } });
  const cases = useQuery({
    queryKey: ['ops', 'cases', filters],
    queryFn: () => api.get<CaseList>('/ops/cases', { query: caseListQuery(filters) }),
    placeholderData: keepPreviousData,
  });
  const pages = cases.data ? Math.max(1, Math.ceil(cases.data.total / CASE_PAGE_SIZE)) : 1;
  return (
    <>
      <h1>{t('ops.cases.title')}</h1>
      <section className="card" aria-labelledby="case-filters">
        <h2 id="case-filters">{t('ops.common.filters')}</h2>
        <form
          noValidate
          role="search"
          aria-labelledby="case-filters"
          onSubmit={(e) => void form.handleSubmit((v) => setFilters({ ...v, page: 1 }))(e)}
        >
          <div className="ops-filters">
            <SelectField label={t('ops.cases.tenant')} {...form.register('tenant')}>
              <option value="">{t('ops.cases.allTenants')}</option>
              {tenants.data?.map((tenant) => (
                <option key={tenant.number} value={tenant.number}>
                  {tenant.number} {tenant.name}
                </option>
              ))}
            </SelectField>
            <SelectField label={t('ops.cases.status')} {...form.register('status')}>
              <option value="">{t('ops.cases.allStatuses')}</option>
              <option value="open">{t('ops.cases.open')}</option>
              {CASE_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {t(`ops.caseStatus.${status}`)}
                </option>
              ))}
            </SelectField>
            <Field label={t('ops.cases.keyword')} hint={t('ops.cases.keywordHint')} {...form.register('q')} />
          </div>
          <button type="submit">{t('ops.common.search')}</button>
        </form>
      </section>
      <section className="card" aria-labelledby="case-results">
        <h2 id="case-results">
          {t('ops.cases.results', {
            total: cases.data ? `${cases.data.total}${cases.data.totalIsExact ? '' : '+'}` : '…',
          })}
        </h2>
        <ErrorAlert error={cases.error} />
        {cases.isPending ? (
          <Loading />
        ) : cases.data?.items.length === 0 ? (
          <p>{t('ops.cases.none')}</p>
        ) : (
          <ul className="ops-list">
            {cases.data?.items.map((c) => (
              <li key={c.number}>
                <div className="ops-row">
                  <Link to={`/ops/cases/${c.number}`}>
                    {c.number} {c.subject}
                  </Link>
                  <span className="ops-status">{t(`ops.caseStatus.${c.status}`)}</span>
                </div>
                <div className="ops-muted">
                  {t('ops.cases.line', {
                    tenant: c.tenant,
                    contractor: c.contractor,
                    service: labels.service(c.service),
                    category: labels.category(c.category),
                    updated: when(c.updatedAt),
                  })}
                </div>
              </li>
            ))}
          </ul>
        )}
        <Pager
          page={filters.page}
          pages={pages}
          label={t('ops.common.pages')}
          onPage={(page) => setFilters({ ...filters, page })}
        />
      </section>
    </>
  );
}
