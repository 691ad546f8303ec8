import { useQuery } from '@tanstack/react-query';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useServiceSettings } from '../cases/labels';
import type { ServiceSettingDetail } from '../cases/types';
import { useApi } from '../session/services';
import { ErrorAlert, Loading } from '../ui/error-alert';

/** CASE-1 "service settings": one row per contracted service, read-only for customers. */
export function ServiceSettingsPage() {
  const { t } = useTranslation();
  const settings = useServiceSettings();
  const date = new Intl.DateTimeFormat(t('locale'), { dateStyle: 'medium' });
  return (
    <div className="stack">
      <h1>{t('serviceSettings.title')}</h1>
      <p className="hint">{t('serviceSettings.intro')}</p>
      <ErrorAlert error={settings.error} />
      {settings.isPending ? (
        <Loading />
      ) : settings.data && settings.data.length === 0 ? (
        <p>{t('serviceSettings.empty')}</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t('serviceSettings.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('cases.columns.service')}</th>
                <th scope="col">{t('cases.columns.contractor')}</th>
                <th scope="col">{t('cases.columns.customerNumber')}</th>
                <th scope="col">{t('serviceSettings.startDate')}</th>
              </tr>
            </thead>
            <tbody>
              {(settings.data ?? []).map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link to={`/service-settings/${s.id}`}>{s.service}</Link>
                  </td>
                  <td>{s.contractor}</td>
                  <td>{s.customerNumber}</td>
                  <td>{date.format(new Date(s.startDate))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function display(value: unknown): string {
  if (value === null || value === undefined || value === '') {
    return '—';
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function ServiceSettingDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const api = useApi();
  const detail = useQuery({
    queryKey: ['service-settings', id],
    queryFn: () => api.get<ServiceSettingDetail>(`/service-settings/${id}`),
  });
  const date = new Intl.DateTimeFormat(t('locale'), { dateStyle: 'medium' });
  const s = detail.data;
  return (
    <div className="stack">
      <Link to="/service-settings">{t('serviceSettings.back')}</Link>
      <ErrorAlert error={detail.error} />
      {detail.isPending ? (
        <Loading />
      ) : s ? (
        <div className="card">
          <h1>{s.service}</h1>
          <dl className="facts">
            <dt>{t('cases.columns.contractor')}</dt>
            <dd>{s.contractor}</dd>
            <dt>{t('cases.columns.customerNumber')}</dt>
            <dd>{s.customerNumber}</dd>
            <dt>{t('serviceSettings.startDate')}</dt>
            <dd>{date.format(new Date(s.startDate))}</dd>
            <dt>{t('serviceSettings.licenceType')}</dt>
            <dd>{display(s.licenceType)}</dd>
            <dt>{t('serviceSettings.idCount')}</dt>
            <dd>{display(s.idCount)}</dd>
            {s.settings.map((setting) => (
              <Fragment key={setting.key}>
                <dt>{setting.label}</dt>
                <dd>{display(setting.value)}</dd>
              </Fragment>
            ))}
          </dl>
          <p className="hint">{t('serviceSettings.changeHint')}</p>
        </div>
      ) : null}
    </div>
  );
}
