import type { RouteObject } from 'react-router';
import { AnnouncementPage, AnnouncementsPage } from './announcements-page';
import { OpsCasePage } from './case-page';
import { OpsCasesPage } from './cases-page';
import { ArticlePage, KnowledgePage } from './knowledge-page';
import { MessagePage, MessagesPage } from './messages-page';
import { MfaResetPage } from './mfa-reset-page';
import { OpsHomePage } from './ops-home';
import { OpsLayout } from './ops-layout';
import { TenantAuditPage } from './tenant-audit-page';
import { TenantPage } from './tenant-page';
import { TenantsPage } from './tenants-page';
import { WorkRequestsPage } from './work-requests-page';

/** The operator screens, under /ops, behind the login and shown only to operators. */
export const opsRoutes: RouteObject[] = [
  {
    path: 'ops',
    element: <OpsLayout />,
    children: [
      { index: true, element: <OpsHomePage /> },
      { path: 'tenants', element: <TenantsPage /> },
      { path: 'tenants/:number', element: <TenantPage /> },
      { path: 'tenants/:number/audit-events', element: <TenantAuditPage /> },
      { path: 'cases', element: <OpsCasesPage /> },
      { path: 'cases/:number', element: <OpsCasePage /> },
      { path: 'work-requests', element: <WorkRequestsPage /> },
      { path: 'knowledge', element: <KnowledgePage /> },
      { path: 'knowledge/:number', element: <ArticlePage /> },
      { path: 'announcements', element: <AnnouncementsPage /> },
      { path: 'announcements/:id', element: <AnnouncementPage /> },
      { path: 'messages', element: <MessagesPage /> },
      { path: 'messages/:id', element: <MessagePage /> },
      { path: 'mfa-reset', element: <MfaResetPage /> },
    ],
  },
];
