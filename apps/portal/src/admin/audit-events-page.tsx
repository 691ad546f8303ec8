import { zodResolver } from '@hookform/resolvers/zod';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { apiHref } from '../api/api-client';
import { useApi } from '../session/services';
import { ErrorAlert, Loading } from '../ui/error-alert';
import { Field } from '../ui/field';
import { useFileDownload } from '../ui/use-file-download';
import {
  auditFilterSchema,
  auditQuery,
  NO_FILTERS,
  type AuditFilterForm,
  type AuditQuery,
} from './audit-filters';
import { AUDIT_OUTCOMES, EXPORT_FORMATS, type AuditRecord, type ExportFormat } from './types';
import { useUsers } from './use-users';

const PAGE_SIZE = 50;
const TYPE_SUGGESTIONS = [
  'auth.user',
  'auth.login',
  'auth.session',
  'auth.account',
  'auth.tenant',
  'case-management',
];

/** Whose audit events the page reads: the admin's active tenant, or the tenant an operator chose. */
export type AuditScope = { path: '/admin/audit-events' } | { path: '/ops/audit-events'; tenant: string };

const ACTIVE_TENANT: AuditScope = { path: '/admin/audit-events' };

/**
 * AUDIT-4: a tenant's audit events, newest first, filtered, a page at a time by the API's cursor. A
 * tenant admin picks the acting user from the tenant's users; an operator (who has no user list of
 * the tenant) types the user's internal ID.
 */
export function AuditEventsPage({ scope = ACTIVE_TENANT }: { scope?: AuditScope }) {
  const { t } = useTranslation();
  const api = useApi();
  const tenant = scope.path === '/ops/audit-events' ? scope.tenant : undefined;
  const users = useUsers({ enabled: tenant === undefined });
  const queryClient = useQueryClient();
  const queryKey = ['audit-events', scope.path, tenant ?? ''];
  const [filters, setFilters] = useState<AuditQuery>({});
  // The cursors of the pages seen so far: [undefined] is the first page.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const events = useQuery({
    queryKey: [...queryKey, filters, cursor],
    queryFn: () =>
      api.getWithHeaders<AuditRecord[]>(scope.path, {
        query: { ...filters, tenant, cursor, limit: PAGE_SIZE },
      }),
    placeholderData: keepPreviousData,
  });
  const nextCursor = events.data?.headers.get('X-Next-Cursor') ?? undefined;
  const form = useForm<AuditFilterForm>({
    resolver: zodResolver(auditFilterSchema),
    defaultValues: NO_FILTERS,
  });
  const apply = (values: AuditFilterForm) => {
    setFilters(auditQuery(values));
    setCursors([undefined]);
    // The same filters again ask for the newest events, not the ones already shown.
    void queryClient.invalidateQueries({ queryKey });
  };
  // The browser streams the export (any size) to disk through a plain link, not into a blob.
  const download = useFileDownload();
  const exportFile = (format: ExportFormat) =>
    download.mutate({
      href: apiHref(scope.path, { ...filters, tenant, format }),
      name: tenant ? `audit-events-${tenant}.${format}` : `audit-events.${format}`,
    });
  const loginIdOf = new Map((users.data ?? []).map((user) => [user.id, user.userId]));
  const who = (id: string | undefined) => (id ? (loginIdOf.get(id) ?? id) : '—');
  const when = new Intl.DateTimeFormat(t('locale'), { dateStyle: 'medium', timeStyle: 'medium' });
  return (
    <div className="stack">
      <h1>{tenant ? t('admin.audit.tenantTitle', { tenant }) : t('admin.audit.title')}</h1>
      <form className="card" noValidate onSubmit={(e) => void form.handleSubmit(apply)(e)}>
        <h2>{t('admin.audit.filters')}</h2>
        <div className="filter-grid">
          <Field
            label={t('admin.audit.type')}
            list="audit-type-suggestions"
            autoComplete="off"
            error={form.formState.errors.type?.message}
            {...form.register('type')}
          />
          <datalist id="audit-type-suggestions">
            {TYPE_SUGGESTIONS.map((type) => (
              <option key={type} value={type} />
            ))}
          </datalist>
          {tenant === undefined ? (
            <div className="field">
              <label htmlFor="audit-actor">{t('admin.audit.actor')}</label>
              <select id="audit-actor" {...form.register('userId')}>
                <option value="">{t('admin.audit.anyone')}</option>
                {(users.data ?? []).map((user) => (
                  <option key={user.id} value={user.id}>
                    {user.userId}
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <Field
              label={t('admin.audit.actorId')}
              autoComplete="off"
              error={form.formState.errors.userId?.message}
              {...form.register('userId')}
            />
          )}
          <div className="field">
            <label htmlFor="audit-outcome">{t('admin.audit.outcome')}</label>
            <select id="audit-outcome" {...form.register('outcome')}>
              <option value="">{t('admin.audit.anyOutcome')}</option>
              {AUDIT_OUTCOMES.map((outcome) => (
                <option key={outcome} value={outcome}>
                  {t(`admin.audit.outcomes.${outcome}`)}
                </option>
              ))}
            </select>
          </div>
          <Field label={t('admin.audit.from')} type="datetime-local" {...form.register('from')} />
          <Field label={t('admin.audit.to')} type="datetime-local" {...form.register('to')} />
        </div>
        <div className="actions">
          <button type="submit">{t('admin.audit.apply')}</button>
          <button
            type="button"
            onClick={() => {
              form.reset(NO_FILTERS);
              apply(NO_FILTERS);
            }}
          >
            {t('admin.audit.reset')}
          </button>
        </div>
      </form>
      <section className="card" aria-labelledby="audit-list-title">
        <h2 id="audit-list-title">{t('admin.audit.pageNumber', { page: cursors.length })}</h2>
        <div className="downloads">
          {EXPORT_FORMATS.map((format) => (
            <button
              key={format}
              type="button"
              disabled={download.isPending}
              onClick={() => exportFile(format)}
            >
              {t('admin.audit.download', { format: format.toUpperCase() })}
            </button>
          ))}
        </div>
        <ErrorAlert error={download.error ?? events.error} />
        {events.isPending ? (
          <Loading />
        ) : events.data && events.data.body.length === 0 ? (
          <p>{t('admin.audit.empty')}</p>
        ) : events.data ? (
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="audit-list-title">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('admin.audit.when')}</th>
                  <th scope="col">{t('admin.audit.event')}</th>
                  <th scope="col">{t('admin.audit.actor')}</th>
                  <th scope="col">{t('admin.audit.target')}</th>
                  <th scope="col">{t('admin.audit.outcome')}</th>
                </tr>
              </thead>
              <tbody>
                {events.data.body.map((event) => (
                  <tr key={event.id} data-type={event.type}>
                    <td>{when.format(new Date(event.occurredAt))}</td>
                    <td>{t(`admin.audit.types.${event.type}`, { defaultValue: event.type })}</td>
                    <td>{who(event.actor.userId)}</td>
                    <td>
                      {event.target
                        ? event.target.type === 'user'
                          ? who(event.target.id)
                          : `${event.target.type} ${event.target.id}`
                        : '—'}
                    </td>
                    <td>{t(`admin.audit.outcomes.${event.outcome}`, { defaultValue: event.outcome })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <nav className="pager" aria-label={t('admin.audit.title')}>
          <button
            type="button"
            disabled={cursors.length <= 1}
            onClick={() => setCursors(cursors.slice(0, -1))}
          >
            {t('account.previous')}
          </button>
          <button
            type="button"
            disabled={!nextCursor || events.isPlaceholderData}
            onClick={() => setCursors([...cursors, nextCursor])}
          >
            {t('admin.audit.next')}
          </button>
        </nav>
      </section>
    </div>
  );
}
