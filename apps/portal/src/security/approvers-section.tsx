import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useApi } from '../session/services';
import { useStepUp } from '../step-up/step-up';
import { ErrorAlert, Loading } from '../ui/error-alert';
import { ConfirmButton } from './confirm-button';
import type { ApproverApp } from './types';
import { useWhen } from './use-when';

const APPROVERS = ['me', 'approvers'] as const;

/**
 * AUTH-13: the phone apps that approve this user's logins. An app is registered from the app
 * itself (it receives its token once); here the user sees them and removes one (step-up).
 */
export function ApproversSection() {
  const { t } = useTranslation();
  const api = useApi();
  const withStepUp = useStepUp();
  const queryClient = useQueryClient();
  const when = useWhen();
  const list = useQuery({ queryKey: APPROVERS, queryFn: () => api.get<ApproverApp[]>('/me/mfa/approvers') });
  const remove = useMutation({
    mutationFn: (id: string) => withStepUp(() => api.delete<void>(`/me/mfa/approvers/${id}`)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: APPROVERS }),
  });
  return (
    <section aria-labelledby="approvers-title" className="card">
      <h2 id="approvers-title">{t('security.approvers.title')}</h2>
      <p>{t('security.approvers.intro')}</p>
      <ErrorAlert error={remove.error} />
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorAlert error={list.error} />
      ) : list.data.length === 0 ? (
        <p>{t('security.approvers.none')}</p>
      ) : (
        <ul className="items" aria-label={t('security.approvers.listLabel')}>
          {list.data.map((app) => (
            <li key={app.id} className="item">
              <strong className="item-name">{app.name}</strong>
              <span className="hint">
                {t('security.createdAt', { when: when(app.createdAt) })} ·{' '}
                {app.lastUsedAt
                  ? t('security.lastUsedAt', { when: when(app.lastUsedAt) })
                  : t('security.neverUsed')}
              </span>
              <ConfirmButton
                label={t('security.remove')}
                question={t('security.approvers.removeConfirm', { name: app.name })}
                disabled={remove.isPending}
                onConfirm={() => remove.mutate(app.id)}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
