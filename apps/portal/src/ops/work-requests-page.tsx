import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useApi } from '../session/services';
import { ErrorAlert, Loading, Notice } from '../ui/error-alert';
import { SelectField, useDateTime } from './fields';
import { RejectDialog } from './reject-dialog';
import { WORK_REQUEST_STATUSES, type WorkRequest, type WorkRequestStatus } from './types';
import { useOpsAction } from './use-ops-action';

/** The work request queue of every tenant (CASE-7): accept (a case is opened) or reject with a reason. */
export function WorkRequestsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const when = useDateTime();
  const [status, setStatus] = useState<WorkRequestStatus | ''>('submitted');
  const [rejecting, setRejecting] = useState<WorkRequest>();
  const [notice, setNotice] = useState<string>();
  const requests = useQuery({
    queryKey: ['ops', 'work-requests', status],
    queryFn: () => api.get<WorkRequest[]>('/ops/work-requests', { query: { status: status || undefined } }),
  });
  const accept = useOpsAction(
    (a, request: WorkRequest) => a.post<{ caseNumber: string }>(`/ops/work-requests/${request.id}/accept`),
    [
      ['ops', 'work-requests'],
      ['ops', 'cases'],
    ],
    (result) => setNotice(t('ops.workRequests.accepted', { number: result.caseNumber })),
  );
  return (
    <>
      <h1>{t('ops.workRequests.title')}</h1>
      <section className="card" aria-labelledby="wr-queue">
        <h2 id="wr-queue">{t('ops.workRequests.queue')}</h2>
        <SelectField
          label={t('ops.workRequests.status')}
          value={status}
          onChange={(e) => setStatus(e.target.value as WorkRequestStatus | '')}
        >
          <option value="">{t('ops.workRequests.allStatuses')}</option>
          {WORK_REQUEST_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`ops.workRequestStatus.${s}`)}
            </option>
          ))}
        </SelectField>
        {notice && <Notice>{notice}</Notice>}
        <ErrorAlert error={accept.error ?? requests.error} />
        {requests.isPending ? (
          <Loading />
        ) : requests.data?.length === 0 ? (
          <p>{t('ops.workRequests.none')}</p>
        ) : (
          <ul className="ops-list">
            {requests.data?.map((request) => (
              <li key={request.id}>
                <div className="ops-row">
                  <strong>
                    {request.item.code} {request.item.name}
                  </strong>
                  <span className="ops-status">{t(`ops.workRequestStatus.${request.status}`)}</span>
                </div>
                <div className="ops-muted">
                  {t('ops.workRequests.line', {
                    tenant: request.tenant,
                    requester: request.requester.name,
                    submitted: when(request.submittedAt),
                  })}
                </div>
                <dl className="facts">
                  {request.fields.map((field) => (
                    <div key={field.key} className="ops-field-pair">
                      <dt>{field.label}</dt>
                      <dd>{field.value === '' ? '—' : String(field.value)}</dd>
                    </div>
                  ))}
                </dl>
                {request.reason && (
                  <p className="ops-text">{t('ops.workRequests.reasonShown', { reason: request.reason })}</p>
                )}
                {request.caseNumber && (
                  <Link to={`/ops/cases/${request.caseNumber}`}>{request.caseNumber}</Link>
                )}
                {request.status === 'submitted' && (
                  <div className="ops-row">
                    <button
                      type="button"
                      disabled={accept.isPending}
                      onClick={() => {
                        setNotice(undefined);
                        accept.mutate(request);
                      }}
                    >
                      {t('ops.workRequests.accept', { item: request.item.name })}
                    </button>
                    <button type="button" onClick={() => setRejecting(request)}>
                      {t('ops.workRequests.reject', { item: request.item.name })}
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      {rejecting && (
        <RejectDialog
          request={rejecting}
          onClose={(rejected) => {
            setRejecting(undefined);
            if (rejected) {
              setNotice(t('ops.workRequests.rejected'));
            }
          }}
        />
      )}
    </>
  );
}
