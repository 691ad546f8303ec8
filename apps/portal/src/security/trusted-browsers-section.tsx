import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useApi } from '../session/services';
import { useStepUp } from '../step-up/step-up';
import { ErrorAlert, Loading, Notice } from '../ui/error-alert';
import { ConfirmButton } from './confirm-button';
import type { TrustedBrowser } from './types';
import { useWhen } from './use-when';

const BROWSERS = ['me', 'trusted-browsers'] as const;

/** AUTH-9: the browsers that skip the second step; revoking one or all needs a fresh second step. */
export function TrustedBrowsersSection() {
  const { t } = useTranslation();
  const api = useApi();
  const withStepUp = useStepUp();
  const queryClient = useQueryClient();
  const when = useWhen();
  const list = useQuery({
    queryKey: BROWSERS,
    queryFn: () => api.get<TrustedBrowser[]>('/me/trusted-browsers'),
  });
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: BROWSERS }),
      queryClient.invalidateQueries({ queryKey: ['me', 'security'] }),
    ]);
  const revoke = useMutation({
    mutationFn: (id: string | undefined) =>
      withStepUp(() => api.delete<void>(id ? `/me/trusted-browsers/${id}` : '/me/trusted-browsers')),
    onSuccess: refresh,
  });
  return (
    <section aria-labelledby="browsers-title" className="card">
      <h2 id="browsers-title">{t('security.browsers.title')}</h2>
      <p>{t('security.browsers.intro')}</p>
      <ErrorAlert error={revoke.error} />
      {revoke.isSuccess && <Notice>{t('security.browsers.revoked')}</Notice>}
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorAlert error={list.error} />
      ) : list.data.length === 0 ? (
        <p>{t('security.browsers.none')}</p>
      ) : (
        <>
          <ul className="items" aria-label={t('security.browsers.listLabel')}>
            {list.data.map((browser) => (
              <li key={browser.id} className="item" data-trusted-browser={browser.id}>
                <strong className="item-name">{browser.name}</strong>
                <span className="hint">
                  {browser.lastUsedAt
                    ? t('security.lastUsedAt', { when: when(browser.lastUsedAt) })
                    : t('security.createdAt', { when: when(browser.createdAt) })}{' '}
                  · {t('security.browsers.expiresAt', { when: when(browser.expiresAt) })}
                </span>
                {browser.userAgent && <span className="hint user-agent">{browser.userAgent}</span>}
                <ConfirmButton
                  label={t('security.browsers.revoke')}
                  question={t('security.browsers.revokeConfirm', { name: browser.name })}
                  disabled={revoke.isPending}
                  onConfirm={() => revoke.mutate(browser.id)}
                />
              </li>
            ))}
          </ul>
          <ConfirmButton
            label={t('security.browsers.revokeAll')}
            question={t('security.browsers.revokeAllConfirm')}
            disabled={revoke.isPending}
            onConfirm={() => revoke.mutate(undefined)}
          />
        </>
      )}
    </section>
  );
}
