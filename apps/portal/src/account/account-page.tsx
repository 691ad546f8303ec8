import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Me } from '../api/types';
import { useApi } from '../session/services';
import { ErrorAlert, Loading } from '../ui/error-alert';
import { LoginHistorySection } from './login-history-section';
import { PasswordSection } from './password-section';
import { ProfileSection } from './profile-section';

export function useMe() {
  const api = useApi();
  return useQuery({ queryKey: ['me'], queryFn: () => api.get<Me>('/me') });
}

/** My account: profile, password change and login history. */
export function AccountPage() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <div className="stack">
      <h1>{t('account.title')}</h1>
      {me.isPending ? (
        <Loading />
      ) : me.isError ? (
        <ErrorAlert error={me.error} />
      ) : (
        <ProfileSection key={me.dataUpdatedAt} me={me.data} />
      )}
      <PasswordSection />
      <LoginHistorySection />
    </div>
  );
}
