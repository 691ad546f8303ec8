import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useApi } from '../session/services';
import { ErrorAlert, Loading } from '../ui/error-alert';
import { ApproversSection } from './approvers-section';
import { PasskeysSection } from './passkeys-section';
import { TotpSection } from './totp-section';
import { TrustedBrowsersSection } from './trusted-browsers-section';
import type { SecurityState } from './types';
import './security.css';

/** My account → security settings: the second step's methods, passkeys and trusted browsers. */
export function SecurityPage() {
  const { t } = useTranslation();
  const api = useApi();
  const state = useQuery({
    queryKey: ['me', 'security'],
    queryFn: () => api.get<SecurityState>('/me/security'),
  });
  return (
    <div className="stack">
      <h1>{t('security.title')}</h1>
      {state.isPending ? (
        <Loading />
      ) : state.isError ? (
        <ErrorAlert error={state.error} />
      ) : (
        <>
          <section aria-labelledby="summary-title" className="card">
            <h2 id="summary-title">{t('security.summary')}</h2>
            <dl className="facts">
              <dt>{t('security.mfa')}</dt>
              <dd data-state="mfa">{state.data.mfaEnabled ? t('security.on') : t('security.off')}</dd>
              <dt>{t('security.sms')}</dt>
              <dd>{state.data.sms.available ? t('security.smsAvailable') : t('security.smsUnavailable')}</dd>
              <dt>{t('security.email')}</dt>
              <dd>
                {state.data.email.undeliverable
                  ? t('security.emailUndeliverable', { address: state.data.email.address })
                  : state.data.email.address}
              </dd>
            </dl>
          </section>
          <TotpSection enabled={state.data.totp.enabled} />
        </>
      )}
      <PasskeysSection />
      <ApproversSection />
      <TrustedBrowsersSection />
    </div>
  );
}
