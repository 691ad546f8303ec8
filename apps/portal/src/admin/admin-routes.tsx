import './admin.css';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, type RouteObject } from 'react-router';
import { useSession } from '../session/services';
import { Loading } from '../ui/error-alert';
import { AuditEventsPage } from './audit-events-page';
import { SecurityPolicyPage } from './security-policy-page';
import { TenantLoginHistoryPage } from './tenant-login-history-page';
import { UserCreatePage } from './user-create-page';
import { UserDetailPage } from './user-detail-page';
import { UsersPage } from './users-page';
import { useIsTenantAdmin } from './use-admin';

/** The header's link to the admin screens, shown to tenant admins only. */
export function AdminNavLink() {
  const { t } = useTranslation();
  const { signedIn } = useSession();
  return signedIn ? <AdminLinkForAdmins label={t('admin.nav.link')} /> : null;
}

function AdminLinkForAdmins({ label }: { label: string }) {
  return useIsTenantAdmin() ? <Link to="/admin/users">{label}</Link> : null;
}

/** The admin screens' frame: their own menu, and a plain refusal for anyone who is not a tenant admin. */
function AdminLayout() {
  const { t } = useTranslation();
  const admin = useIsTenantAdmin();
  if (admin === undefined) {
    return <Loading />;
  }
  if (!admin) {
    return (
      <div role="alert" className="alert alert-error">
        {t('admin.notAdmin')}
      </div>
    );
  }
  return (
    <>
      <nav className="admin-nav" aria-label={t('admin.nav.section')}>
        <NavLink to="/admin/users">{t('admin.nav.users')}</NavLink>
        <NavLink to="/admin/security-policy">{t('admin.nav.policy')}</NavLink>
        <NavLink to="/admin/login-history">{t('admin.nav.loginHistory')}</NavLink>
        <NavLink to="/admin/audit-events">{t('admin.nav.audit')}</NavLink>
      </nav>
      <Outlet />
    </>
  );
}

/** The tenant admin's routes, placed among the pages behind the login. */
export const adminRoutes: RouteObject[] = [
  {
    path: 'admin',
    element: <AdminLayout />,
    children: [
      { path: 'users', element: <UsersPage /> },
      { path: 'users/new', element: <UserCreatePage /> },
      { path: 'users/:id', element: <UserDetailPage /> },
      { path: 'security-policy', element: <SecurityPolicyPage /> },
      { path: 'login-history', element: <TenantLoginHistoryPage /> },
      { path: 'audit-events', element: <AuditEventsPage /> },
    ],
  },
];
