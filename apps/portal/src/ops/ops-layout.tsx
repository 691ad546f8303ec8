import { useTranslation } from 'react-i18next';
import { Link, NavLink, Navigate, Outlet } from 'react-router';
import { useIsOperator } from './use-operator';
import './ops.css';

const SECTIONS = [
  ['tenants', 'ops.nav.tenants'],
  ['cases', 'ops.nav.cases'],
  ['work-requests', 'ops.nav.workRequests'],
  ['knowledge', 'ops.nav.knowledge'],
  ['announcements', 'ops.nav.announcements'],
  ['messages', 'ops.nav.messages'],
  ['mfa-reset', 'ops.nav.mfaReset'],
] as const;

/** The operator screens: only for an operator's session, with their own section menu. */
export function OpsLayout() {
  const { t } = useTranslation();
  const operator = useIsOperator();
  if (!operator) {
    return <Navigate to="/account" replace />;
  }
  return (
    <div className="stack ops-screens">
      <nav aria-label={t('ops.nav.label')} className="ops-nav">
        <ul>
          {SECTIONS.map(([path, key]) => (
            <li key={path}>
              <NavLink to={`/ops/${path}`}>{t(key)}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}

/** The header's link to the operator screens, shown to operators only. */
export function OpsNavLink() {
  const { t } = useTranslation();
  return useIsOperator() ? <Link to="/ops">{t('ops.nav.home')}</Link> : null;
}
