import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { AuditEventsPage } from '../admin/audit-events-page';

/** AUDIT-4 for operators: one tenant's audit events, with the same filters and exports as its admins'. */
export function TenantAuditPage() {
  const { t } = useTranslation();
  const { number = '' } = useParams();
  return (
    <>
      <p>
        <Link to={`/ops/tenants/${number}`}>{t('ops.tenants.backToTenant', { number })}</Link>
      </p>
      <AuditEventsPage key={number} scope={{ path: '/ops/audit-events', tenant: number }} />
    </>
  );
}
