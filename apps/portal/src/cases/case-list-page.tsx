import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../account/account-page';
import { useApi } from '../session/services';
import { ErrorAlert, Loading } from '../ui/error-alert';
import {
  CASE_NUMBER_SEARCH,
  caseQueryParams,
  DEFAULT_SORT,
  parseFilterParam,
  parseSort,
  sortParam,
  toggleSort,
  type CaseQuery,
  type FilterGroups,
  type SortField,
} from './filter';
import { FilterBuilder, type Choice } from './filter-builder';
import { useServiceName, useServiceSettings } from './labels';
import { SavedFilters } from './saved-filters';
import { CASE_VIEWS, type CaseList, type CaseView, type SavedFilter } from './types';
import { Pager } from '../ui/pager';

const PAGE_SIZE = 20;

/** CASE-8's default columns, in order. */
const COLUMNS: { field: SortField; key: string }[] = [
  { field: 'number', key: 'number' },
  { field: 'status', key: 'status' },
  { field: 'category', key: 'category' },
  { field: 'subject', key: 'subject' },
  { field: 'tenant', key: 'customerNumber' },
  { field: 'contractor', key: 'contractor' },
  { field: 'service', key: 'service' },
  { field: 'requester', key: 'requester' },
  { field: 'updated', key: 'updated' },
];

const INITIAL: CaseQuery = {
  view: 'all',
  q: '',
  number: '',
  groups: [],
  sort: DEFAULT_SORT,
  page: 1,
  pageSize: PAGE_SIZE,
};

/** The case list: views, keyword and number search, the filter builder, saved filters, sort, paging. */
export function CaseListPage() {
  const { t } = useTranslation();
  const api = useApi();
  const me = useMe();
  const serviceName = useServiceName();
  const settings = useServiceSettings();
  const [query, setQuery] = useState<CaseQuery>(INITIAL);
  const [q, setQ] = useState('');
  const [number, setNumber] = useState('');
  const [groups, setGroups] = useState<FilterGroups>([]);
  const params = caseQueryParams(query);
  const list = useQuery({
    queryKey: ['cases', params],
    queryFn: () => api.get<CaseList>('/cases', { query: params }),
    placeholderData: keepPreviousData,
  });

  const people = useMemo<Choice[]>(() => {
    const known = new Map<string, string>();
    if (me.data) {
      known.set(me.data.id, t('cases.filter.me', { name: me.data.displayName ?? me.data.familyName }));
    }
    for (const item of list.data?.items ?? []) {
      for (const person of [item.requester, ...item.watchers]) {
        if (person && !known.has(person.id)) {
          known.set(person.id, person.name);
        }
      }
    }
    return [...known].map(([value, label]) => ({ value, label }));
  }, [me.data, list.data, t]);
  const services = (settings.data ?? []).map((s) => ({ value: s.serviceCode, label: s.service }));

  const qTooShort = q.trim().length === 1;
  const numberInvalid = number.trim() !== '' && !CASE_NUMBER_SEARCH.test(number.trim());
  const search = () => setQuery({ ...query, q, number, groups, page: 1 });
  const applySaved = (filter: SavedFilter) => {
    const restored = parseFilterParam(filter.filter);
    setQ(filter.q ?? '');
    setNumber('');
    setGroups(restored);
    setQuery({
      ...INITIAL,
      view: filter.view,
      q: filter.q ?? '',
      groups: restored,
      sort: parseSort(filter.sort),
    });
  };
  const sortBy = (field: SortField, event: MouseEvent) =>
    setQuery({ ...query, sort: toggleSort(query.sort, field, event.shiftKey), page: 1 });

  const data = list.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const when = new Intl.DateTimeFormat(t('locale'), { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('cases.title')}</h1>
        <Link className="button-link" to="/cases/new">
          {t('cases.new.title')}
        </Link>
      </div>

      <nav aria-label={t('cases.views.label')} className="views">
        {CASE_VIEWS.map((view: CaseView) => (
          <button
            key={view}
            type="button"
            aria-pressed={query.view === view}
            onClick={() => setQuery({ ...query, view, page: 1 })}
          >
            {t(`cases.views.${view}`)}
          </button>
        ))}
      </nav>

      <section className="card" aria-labelledby="case-search-title">
        <h2 id="case-search-title">{t('cases.search.title')}</h2>
        <form
          className="search-row"
          onSubmit={(e) => {
            e.preventDefault();
            if (!qTooShort && !numberInvalid) {
              search();
            }
          }}
        >
          <div className="field">
            <label htmlFor="case-q">{t('cases.search.keyword')}</label>
            <input id="case-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
            {qTooShort && <p className="field-error">{t('cases.search.keywordTooShort')}</p>}
          </div>
          <div className="field">
            <label htmlFor="case-number">{t('cases.search.number')}</label>
            <input
              id="case-number"
              type="search"
              placeholder="CS0000001"
              value={number}
              onChange={(e) => setNumber(e.target.value)}
            />
            {numberInvalid && <p className="field-error">{t('cases.search.numberInvalid')}</p>}
          </div>
          <button type="submit" className="primary">
            {t('cases.search.submit')}
          </button>
          <details open={groups.length > 0} className="filter-details">
            <summary>{t('cases.filter.title')}</summary>
            <FilterBuilder groups={groups} onChange={setGroups} people={people} services={services} />
          </details>
        </form>
        <SavedFilters
          current={{
            view: query.view,
            q: query.q.trim().length >= 2 ? query.q.trim() : undefined,
            filter: params.filter as string | undefined,
            sort: sortParam(query.sort),
          }}
          onApply={applySaved}
        />
      </section>

      <section aria-labelledby="case-results-title">
        <h2 id="case-results-title" className="results-title">
          {data
            ? t(data.totalIsExact ? 'cases.total' : 'cases.totalCapped', {
                count: data.total,
                total: data.total.toLocaleString(t('locale')),
              })
            : t('cases.title')}
        </h2>
        <ErrorAlert error={list.error} />
        {list.isPending ? (
          <Loading />
        ) : data && data.items.length === 0 ? (
          <p>{t('cases.empty')}</p>
        ) : data ? (
          <>
            <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="case-results-title">
              <table className="case-table">
                <caption className="visually-hidden">{t('cases.sortHint')}</caption>
                <thead>
                  <tr>
                    {COLUMNS.map((column) => {
                      const index = query.sort.findIndex((k) => k.field === column.field);
                      const key = query.sort[index];
                      return (
                        <th
                          key={column.field}
                          scope="col"
                          aria-sort={index === 0 ? (key.descending ? 'descending' : 'ascending') : undefined}
                        >
                          <button type="button" className="sort" onClick={(e) => sortBy(column.field, e)}>
                            {t(`cases.columns.${column.key}`)}
                            {key && (
                              <span aria-hidden="true">
                                {' '}
                                {key.descending ? '▼' : '▲'}
                                {query.sort.length > 1 ? index + 1 : ''}
                              </span>
                            )}
                          </button>
                        </th>
                      );
                    })}
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((item) => (
                    <tr key={item.number}>
                      <td>
                        <Link to={`/cases/${item.number}`}>{item.number}</Link>
                      </td>
                      <td>{item.statusLabel ?? t(`cases.statuses.${item.status}`)}</td>
                      <td>{t(`cases.categories.${item.category}`, { defaultValue: item.category })}</td>
                      <td className="subject">{item.subject}</td>
                      <td>{item.tenant}</td>
                      <td>{item.contractor}</td>
                      <td>{serviceName(item.service)}</td>
                      <td>{item.requester?.name ?? '—'}</td>
                      <td>{when.format(new Date(item.updatedAt))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              page={query.page}
              pages={pages}
              label={t('cases.paging')}
              onPage={(page) => setQuery({ ...query, page })}
            />
          </>
        ) : null}
      </section>
    </div>
  );
}
