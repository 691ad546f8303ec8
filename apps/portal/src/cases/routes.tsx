import './customer.css';
import { useTranslation } from 'react-i18next';
import { NavLink, type RouteObject } from 'react-router';
import { AnnouncementsPage } from '../announcements/announcements';
import { ArticlePage, KnowledgePage } from '../knowledge/knowledge-pages';
import { ServiceSettingDetailPage, ServiceSettingsPage } from '../service-settings/service-settings-pages';
import { useSession } from '../session/services';
import { WorkRequestsPage } from '../work-requests/work-requests-page';
import { CaseDetailPage } from './case-detail-page';
import { CaseListPage } from './case-list-page';
import { NewInquiryPage } from './new-inquiry-page';

/** The customer's pages behind the login: cases, work requests, knowledge, announcements, services. */
export const customerRoutes: RouteObject[] = [
  { path: 'cases', element: <CaseListPage /> },
  { path: 'cases/new', element: <NewInquiryPage /> },
  { path: 'cases/:number', element: <CaseDetailPage /> },
  { path: 'work-requests', element: <WorkRequestsPage /> },
  { path: 'knowledge', element: <KnowledgePage /> },
  { path: 'knowledge/:number', element: <ArticlePage /> },
  { path: 'announcements', element: <AnnouncementsPage /> },
  { path: 'service-settings', element: <ServiceSettingsPage /> },
  { path: 'service-settings/:id', element: <ServiceSettingDetailPage /> },
];

/** The customer's links in the main menu, for a user with an active tenant. */
export function CustomerNavLinks() {
  const { t } = useTranslation();
  const { activeTenant } = useSession();
  if (activeTenant === null) {
    return null;
  }
  return (
    <>
      <NavLink to="/cases">{t('customerNav.cases')}</NavLink>
      <NavLink to="/work-requests">{t('customerNav.workRequests')}</NavLink>
      <NavLink to="/knowledge">{t('customerNav.knowledge')}</NavLink>
      <NavLink to="/announcements">{t('customerNav.announcements')}</NavLink>
      <NavLink to="/service-settings">{t('customerNav.serviceSettings')}</NavLink>
    </>
  );
}
