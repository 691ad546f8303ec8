import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useApi } from '../session/services';
import { ErrorAlert, Loading, Notice } from '../ui/error-alert';
import { useDateTime } from './fields';
import { AnnouncementForm } from './announcement-form';
import {
  announcementBody,
  announcementValues,
  emptyAnnouncement,
  type AnnouncementValues,
} from './announcement-schema';
import { htmlToText, textToHtml } from './rich-text';
import { useServicesCatalogue } from './tenants-page';
import type { Announcement } from './types';
import { useOpsAction } from './use-ops-action';

const ANNOUNCEMENTS = ['ops', 'announcements'];

function useAnnouncements() {
  const api = useApi();
  return useQuery({ queryKey: ANNOUNCEMENTS, queryFn: () => api.get<Announcement[]>('/ops/announcements') });
}

/** CASE-11: every announcement, and a new one. */
export function AnnouncementsPage() {
  const { t } = useTranslation();
  const when = useDateTime();
  const announcements = useAnnouncements();
  const services = useServicesCatalogue();
  const [formKey, setFormKey] = useState(0);
  const create = useOpsAction(
    (api, v: AnnouncementValues) =>
      api.post<Announcement>('/ops/announcements', announcementBody(v, textToHtml(v.body))),
    [ANNOUNCEMENTS],
    () => setFormKey((k) => k + 1),
  );
  return (
    <>
      <h1>{t('ops.announcements.title')}</h1>
      <section className="card" aria-labelledby="new-announcement">
        <h2 id="new-announcement">{t('ops.announcements.create')}</h2>
        <ErrorAlert error={create.error ?? services.error} />
        {create.isSuccess && (
          <Notice>{t('ops.announcements.published', { title: create.data.title })}</Notice>
        )}
        <AnnouncementForm
          key={formKey}
          defaults={emptyAnnouncement()}
          services={services.data ?? []}
          submitLabel={t('ops.announcements.publish')}
          pending={create.isPending}
          onSubmit={(v) => create.mutate(v)}
        />
      </section>
      <section className="card" aria-labelledby="announcement-list">
        <h2 id="announcement-list">{t('ops.announcements.list')}</h2>
        <ErrorAlert error={announcements.error} />
        {announcements.isPending ? (
          <Loading />
        ) : announcements.data?.length === 0 ? (
          <p>{t('ops.announcements.none')}</p>
        ) : (
          <ul className="ops-list">
            {announcements.data?.map((a) => (
              <li key={a.id}>
                <Link to={`/ops/announcements/${a.id}`}>{a.title}</Link>
                {a.banner && <span className="ops-status"> {t('ops.announcements.bannerBadge')}</span>}
                <div className="ops-muted">
                  {when(a.from)} – {when(a.to)} ·{' '}
                  {a.audience.all
                    ? t('ops.announcements.everyone')
                    : [...a.audience.tenants, ...a.audience.services].join(', ')}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/** One announcement: change it, or withdraw it. */
export function AnnouncementPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const announcements = useAnnouncements();
  const services = useServicesCatalogue();
  const announcement = announcements.data?.find((a) => a.id === id);
  const save = useOpsAction(
    (api, v: AnnouncementValues) =>
      api.request<Announcement>('PUT', `/ops/announcements/${id}`, {
        body: announcementBody(v, textToHtml(v.body)),
      }),
    [ANNOUNCEMENTS],
  );
  const remove = useOpsAction<void>(
    (api) => api.delete(`/ops/announcements/${id}`),
    [ANNOUNCEMENTS],
    () => void navigate('/ops/announcements'),
  );
  return (
    <>
      <p>
        <Link to="/ops/announcements">{t('ops.announcements.back')}</Link>
      </p>
      <h1>{announcement?.title ?? t('ops.announcements.title')}</h1>
      <ErrorAlert error={announcements.error ?? save.error ?? remove.error} />
      {announcements.isPending ? (
        <Loading />
      ) : !announcement ? (
        <p>{t('ops.announcements.notFound')}</p>
      ) : (
        <section className="card" aria-labelledby="edit-announcement">
          <h2 id="edit-announcement">{t('ops.announcements.edit')}</h2>
          {save.isSuccess && <Notice>{t('ops.announcements.saved')}</Notice>}
          {announcement.mailedAt && <p className="hint">{t('ops.announcements.mailed')}</p>}
          <AnnouncementForm
            key={announcements.dataUpdatedAt}
            defaults={announcementValues(announcement, htmlToText(announcement.body))}
            services={services.data ?? []}
            submitLabel={t('common.save')}
            pending={save.isPending}
            onSubmit={(v) => save.mutate(v)}
          />
          <button
            type="button"
            disabled={remove.isPending}
            onClick={() => {
              if (window.confirm(t('ops.announcements.confirmDelete'))) {
                remove.mutate();
              }
            }}
          >
            {t('ops.announcements.delete')}
          </button>
        </section>
      )}
    </>
  );
}
