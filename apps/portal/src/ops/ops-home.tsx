import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { API_BASE } from '../api/api-client';
import { useApi } from '../session/services';
import { ErrorAlert } from '../ui/error-alert';

/** The path the gateway serves the notification queues' dashboard at (Bull Board, read-only). */
export const QUEUE_DASHBOARD_PATH = `${API_BASE}/ops/queues`;

/** The operator's start page: every section, and the queue dashboard. */
export function OpsHomePage() {
  const { t } = useTranslation();
  const api = useApi();
  // A tab opened by navigation cannot send the access token, so the gateway first puts it in an
  // httpOnly cookie of the dashboard's path. The tab is opened at the click (a tab opened after an
  // await counts as a pop-up), then sent to the dashboard once the cookie is set.
  const openDashboard = useMutation({
    mutationFn: async () => {
      const tab = window.open('', '_blank');
      if (tab) {
        tab.opener = null;
      }
      try {
        await api.post('/ops/queues/session');
      } catch (error) {
        tab?.close();
        throw error;
      }
      if (tab) {
        tab.location.href = QUEUE_DASHBOARD_PATH;
      } else {
        window.location.assign(QUEUE_DASHBOARD_PATH);
      }
    },
  });
  const sections = [
    ['tenants', 'tenants'],
    ['cases', 'cases'],
    ['work-requests', 'workRequests'],
    ['knowledge', 'knowledge'],
    ['announcements', 'announcements'],
    ['messages', 'messages'],
    ['mfa-reset', 'mfaReset'],
  ] as const;
  return (
    <>
      <h1>{t('ops.home.title')}</h1>
      <section className="card" aria-labelledby="ops-sections">
        <h2 id="ops-sections">{t('ops.home.sections')}</h2>
        <ul className="ops-list">
          {sections.map(([path, key]) => (
            <li key={path}>
              <Link to={`/ops/${path}`}>{t(`ops.nav.${key}`)}</Link>
              <p className="ops-muted">{t(`ops.home.about.${key}`)}</p>
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="ops-queues">
        <h2 id="ops-queues">{t('ops.home.queues')}</h2>
        <p>{t('ops.home.queuesIntro')}</p>
        <p className="hint">{t('ops.home.queuesAuth')}</p>
        <button type="button" onClick={() => openDashboard.mutate()} disabled={openDashboard.isPending}>
          {t('ops.home.queuesLink')}
        </button>
        {openDashboard.error && <ErrorAlert error={openDashboard.error} />}
      </section>
    </>
  );
}
