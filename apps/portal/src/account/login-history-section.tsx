import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiHref } from '../api/api-client';
import type { LoginHistoryPage } from '../api/types';
import { useApi } from '../session/services';
import { ErrorAlert, Loading } from '../ui/error-alert';
import { Pager } from '../ui/pager';
import { useFileDownload } from '../ui/use-file-download';

const PAGE_SIZE = 20;
const FORMATS = ['csv', 'xlsx', 'pdf'] as const;

/**
 * AUTH-10: the user's own login history, a page at a time, and as files. A tenant admin's screen
 * shows the tenant's (`/admin/login-history`, AUTH-22) the same way, with whose row it is.
 */
export function LoginHistorySection({
  path = '/me/login-history',
  userColumn,
}: { path?: string; userColumn?: string } = {}) {
  const { t } = useTranslation();
  const api = useApi();
  const [page, setPage] = useState(1);
  const history = useQuery({
    queryKey: [...path.split('/').filter(Boolean), page],
    queryFn: () =>
      api.get<LoginHistoryPage>(path, {
        query: { format: 'json', page, pageSize: PAGE_SIZE },
      }),
    placeholderData: keepPreviousData,
  });
  // The browser streams the file to disk through a plain link (the files session's cookie).
  const download = useFileDownload();
  const when = new Intl.DateTimeFormat(t('locale'), { dateStyle: 'medium', timeStyle: 'medium' });
  const pages = history.data ? Math.max(1, Math.ceil(history.data.total / PAGE_SIZE)) : 1;
  return (
    <section aria-labelledby="history-title" className="card">
      <h2 id="history-title">{t('account.history')}</h2>
      <div className="downloads">
        {FORMATS.map((format) => (
          <button
            key={format}
            type="button"
            disabled={download.isPending}
            onClick={() =>
              download.mutate({ href: apiHref(path, { format }), name: `login-history.${format}` })
            }
          >
            {t('account.download', { format: format.toUpperCase() })}
          </button>
        ))}
      </div>
      <ErrorAlert error={download.error ?? history.error} />
      {history.isPending ? (
        <Loading />
      ) : history.data && history.data.items.length === 0 ? (
        <p>{t('account.historyEmpty')}</p>
      ) : history.data ? (
        <>
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="history-title">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('account.when')}</th>
                  {userColumn && <th scope="col">{userColumn}</th>}
                  <th scope="col">{t('account.event')}</th>
                  <th scope="col">{t('account.method')}</th>
                  <th scope="col">{t('account.result')}</th>
                  <th scope="col">{t('account.ip')}</th>
                </tr>
              </thead>
              <tbody>
                {history.data.items.map((entry) => (
                  <tr key={entry.id}>
                    <td>{when.format(new Date(entry.occurredAt))}</td>
                    {userColumn && <td>{entry.loginId ?? '—'}</td>}
                    <td>{t(`history.events.${entry.event}`, { defaultValue: entry.event })}</td>
                    <td>
                      {entry.method
                        ? t(`history.methods.${entry.method}`, { defaultValue: entry.method })
                        : '—'}
                    </td>
                    <td>{t(`history.results.${entry.result}`, { defaultValue: entry.result })}</td>
                    <td>{entry.ip ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} pages={pages} label={t('account.history')} onPage={setPage} />
        </>
      ) : null}
    </section>
  );
}
