import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RichText } from '../cases/rich-text';
import { useApi, useSession } from '../session/services';
import { ErrorAlert, Loading } from '../ui/error-alert';

export interface Announcement {
  id: string;
  title: string;
  body: string;
  article?: string;
  banner: boolean;
  from: string;
  to: string;
  dismissed: boolean;
}

function useAnnouncements(enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: ['announcements'],
    queryFn: () => api.get<Announcement[]>('/announcements'),
    enabled,
    staleTime: 60_000,
    retry: false,
  });
}

/** The banners to show now: flagged as banner, not dismissed by this user (the API lists only current ones). */
export function currentBanners(items: Announcement[] | undefined): Announcement[] {
  return (items ?? []).filter((a) => a.banner && !a.dismissed);
}

/**
 * Current announcements flagged as banners, above every page of a tenant's user, each dismissable
 * for good (CASE-11): the dismissal is the user's, kept by the API, so it holds on every device.
 */
export function AnnouncementBanner() {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const { signedIn, activeTenant } = useSession();
  const announcements = useAnnouncements(signedIn && activeTenant !== null);
  const dismiss = useMutation({
    mutationFn: (id: string) => api.post(`/announcements/${id}/dismiss`, {}),
    onSuccess: (_, id) => {
      queryClient.setQueryData<Announcement[]>(['announcements'], (items) =>
        items?.map((a) => (a.id === id ? { ...a, dismissed: true } : a)),
      );
    },
  });
  const banners = signedIn && activeTenant !== null ? currentBanners(announcements.data) : [];
  if (banners.length === 0) {
    return null;
  }
  return (
    <section className="banners" aria-label={t('announcements.bannerLabel')}>
      {banners.map((a) => (
        <div key={a.id} className="banner">
          <p className="banner-title">
            <strong>{a.title}</strong>{' '}
            <Link to={a.article ? `/knowledge/${a.article}` : '/announcements'}>
              {t('announcements.more')}
            </Link>
          </p>
          <button
            type="button"
            disabled={dismiss.isPending}
            onClick={() => dismiss.mutate(a.id)}
            aria-label={t('announcements.dismiss', { title: a.title })}
          >
            ×
          </button>
        </div>
      ))}
    </section>
  );
}

/** Every current announcement, dismissed banners included (CASE-11: it stays in the list). */
export function AnnouncementsPage() {
  const { t } = useTranslation();
  const announcements = useAnnouncements();
  const date = new Intl.DateTimeFormat(t('locale'), { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className="stack">
      <h1>{t('announcements.title')}</h1>
      <ErrorAlert error={announcements.error} />
      {announcements.isPending ? (
        <Loading />
      ) : announcements.data && announcements.data.length === 0 ? (
        <p>{t('announcements.empty')}</p>
      ) : (
        (announcements.data ?? []).map((a) => (
          <article key={a.id} className="card" aria-labelledby={`announcement-${a.id}`}>
            <h2 id={`announcement-${a.id}`}>{a.title}</h2>
            <p className="hint">
              {t('announcements.period', {
                from: date.format(new Date(a.from)),
                to: date.format(new Date(a.to)),
              })}
            </p>
            <RichText html={a.body} />
            {a.article && (
              <Link to={`/knowledge/${a.article}`}>
                {t('announcements.readArticle', { number: a.article })}
              </Link>
            )}
          </article>
        ))
      )}
    </div>
  );
}
