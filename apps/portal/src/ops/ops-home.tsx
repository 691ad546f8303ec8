import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { API_BASE } from '../api/api-client';

/** The path the gateway serves the notification queues' dashboard at (Bull Board, read-only). */
export const QUEUE_DASHBOARD_PATH = `${API_BASE}/ops/queues`;

/** The operator's start page: every section, and the queue dashboard. */
export function OpsHomePage() {
  const { t } = useTranslation();
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
        <a href={QUEUE_DASHBOARD_PATH} target="_blank" rel="noopener noreferrer">
          {t('ops.home.queuesLink')}
        </a>
      </section>
    </>
  );
}
