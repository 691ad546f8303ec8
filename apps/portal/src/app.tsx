import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Link, Navigate, RouterProvider } from 'react-router';
import { AccountPage } from './account/account-page';
import { adminRoutes } from './admin/admin-routes';
import { OPERATOR_HOME } from './auth/after-sign-in';
import { LoginPage } from './auth/login-page';
import { PasswordResetPage } from './auth/password-reset-page';
import { PasswordResetRequestPage } from './auth/password-reset-request-page';
import { customerRoutes } from './cases/routes';
import { TenantPickerPage } from './auth/tenant-picker-page';
import { SecurityPage } from './security/security-page';
import { opsRoutes } from './ops/routes';
import { useIsOperator } from './ops/use-operator';
import { useSession } from './session/services';
import { Layout, RequireSession } from './ui/layout';

function Home() {
  const { signedIn } = useSession();
  const operator = useIsOperator();
  return <Navigate to={!signedIn ? '/login' : operator ? OPERATOR_HOME : '/account'} replace />;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <div className="card narrow">
      <h1>{t('notFound.title')}</h1>
      <Link to="/">{t('notFound.home')}</Link>
    </div>
  );
}

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { index: true, element: <Home /> },
      { path: 'login', element: <LoginPage /> },
      { path: 'password-reset', element: <PasswordResetRequestPage /> },
      { path: 'password-reset/:token', element: <PasswordResetPage /> },
      {
        element: <RequireSession />,
        children: [
          { path: 'select-tenant', element: <TenantPickerPage /> },
          { path: 'account', element: <AccountPage /> },
          { path: 'account/security', element: <SecurityPage /> },
          ...customerRoutes,
          ...adminRoutes,
          ...opsRoutes,
        ],
      },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
