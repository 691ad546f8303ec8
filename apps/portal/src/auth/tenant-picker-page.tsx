import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Tokens } from '../api/types';
import { useApi, useServices, useSession } from '../session/services';
import { ErrorAlert } from '../ui/error-alert';

/** Choosing, or switching, the active tenant (AUTH-18): new tokens for that tenant. */
export function TenantPickerPage() {
  const { t } = useTranslation();
  const api = useApi();
  const { queryClient } = useServices();
  const { tenants, activeTenant, store } = useSession();
  const navigate = useNavigate();
  const pick = useMutation({
    mutationFn: (tenant: string) => api.post<Tokens>('/auth/tenant', { tenant }),
    onSuccess: (tokens, tenant) => {
      store.signIn({ ...tokens, activeTenant: tokens.activeTenant ?? tenant });
      // Everything cached belongs to the previous tenant.
      queryClient.clear();
      void navigate('/account', { replace: true });
    },
  });
  return (
    <div className="card narrow">
      <h1>{t('tenant.title')}</h1>
      <p>{t('tenant.intro')}</p>
      <ErrorAlert error={pick.error} />
      <ul className="choices">
        {tenants.map((tenant) => (
          <li key={tenant.number}>
            <button
              type="button"
              className="method"
              disabled={pick.isPending}
              onClick={() => pick.mutate(tenant.number)}
            >
              <span>{tenant.name}</span>
              <span className="destination">{tenant.number}</span>
              {tenant.number === activeTenant && <span className="badge">{t('tenant.current')}</span>}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
