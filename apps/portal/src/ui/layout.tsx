import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Outlet, useNavigate } from 'react-router';
import { useMe } from '../account/account-page';
import { AdminNavLink } from '../admin/admin-routes';
import { AnnouncementBanner } from '../announcements/announcements';
import { CustomerNavLinks } from '../cases/routes';
import { currentLanguage, LANGUAGES, type Language } from '../i18n/i18n';
import { OpsNavLink } from '../ops/ops-layout';
import { useApi, useServices, useSession } from '../session/services';
import { StepUpProvider } from '../step-up/step-up';

/** Every page: skip link, header with the language switch, the page itself. */
export function Layout() {
  const { t, i18n } = useTranslation();
  const { signedIn, tenants } = useSession();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="top">
        <Link to="/" className="brand">
          {t('common.appName')}
        </Link>
        {signedIn && (
          <nav aria-label={t('common.mainNav')}>
            <CustomerNavLinks />
            <Link to="/account">{t('account.title')}</Link>
            <Link to="/account/security">{t('security.nav')}</Link>
            <AdminNavLink />
            {tenants.length > 1 && <Link to="/select-tenant">{t('tenant.switch')}</Link>}
            <OpsNavLink />
          </nav>
        )}
        <div className="top-actions">
          <label className="visually-hidden" htmlFor="language-switch">
            {t('common.language')}
          </label>
          <select
            id="language-switch"
            value={currentLanguage(i18n)}
            onChange={(e) => void i18n.changeLanguage(e.target.value as Language)}
          >
            {LANGUAGES.map((language) => (
              <option key={language} value={language} lang={language}>
                {t(`languages.${language}`)}
              </option>
            ))}
          </select>
          {signedIn && <SignOut />}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <AnnouncementBanner />
        <Outlet />
      </main>
    </>
  );
}

function SignOut() {
  const { t } = useTranslation();
  const api = useApi();
  const { session, queryClient } = useServices();
  const navigate = useNavigate();
  const signOut = useMutation({
    mutationFn: () => api.post('/auth/logout', {}),
    // The session ends here whatever the server said: the tokens are forgotten.
    onSettled: () => {
      session.signOut();
      queryClient.clear();
      void navigate('/login', { replace: true });
    },
  });
  return (
    <button type="button" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
      {t('common.signOut')}
    </button>
  );
}

/** Pages behind the login; the account's language applies once per session (AUTH-20). */
export function RequireSession() {
  const { signedIn } = useSession();
  if (!signedIn) {
    return <Navigate to="/login" replace />;
  }
  return (
    <StepUpProvider>
      <AccountLanguage />
      <Outlet />
    </StepUpProvider>
  );
}

function AccountLanguage() {
  const { i18n } = useTranslation();
  const me = useMe();
  const applied = useRef(false);
  useEffect(() => {
    if (me.data && !applied.current) {
      applied.current = true;
      if (me.data.language !== currentLanguage(i18n)) {
        void i18n.changeLanguage(me.data.language);
      }
    }
  }, [me.data, i18n]);
  return null;
}
