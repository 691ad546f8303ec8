import { useTranslation } from 'react-i18next';
import { LoginHistorySection } from '../account/login-history-section';

/** AUTH-22: the tenant's login history, as my account shows mine, with each row's user. */
export function TenantLoginHistoryPage() {
  const { t } = useTranslation();
  return (
    <div className="stack">
      <h1>{t('admin.loginHistory.title')}</h1>
      <LoginHistorySection path="/admin/login-history" userColumn={t('admin.loginHistory.user')} />
    </div>
  );
}
