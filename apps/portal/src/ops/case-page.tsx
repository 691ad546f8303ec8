import { useQuery } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { AttachmentList } from '../cases/attachments';
import { useApi } from '../session/services';
import { ErrorAlert, Loading, Notice } from '../ui/error-alert';
import { SelectField, TextArea, useDateTime } from './fields';
import { htmlToText, textToHtml } from './rich-text';
import { OPERATOR_STATUSES, type CaseActivity, type CaseDetail, type OperatorStatus } from './types';
import { useCaseLabels } from './use-labels';
import { useOpsAction } from './use-ops-action';

/**
 * The statuses an operator may set now. The API's `availableActions` says whether the case may
 * still move at all (`close` is offered exactly while an operator may change the status: an open
 * case that is not awaiting the customer's approval); the status it already has is left out.
 */
export function statusChoices(detail: Pick<CaseDetail, 'status' | 'availableActions'>): OperatorStatus[] {
  if (!detail.availableActions.includes('close')) {
    return [];
  }
  return OPERATOR_STATUSES.filter((status) => status !== detail.status);
}

/** One case of any tenant: facts, activity, the operator's reply and status change (CASE-5, CASE-6). */
export function OpsCasePage() {
  const { t } = useTranslation();
  const { number = '' } = useParams();
  const api = useApi();
  const when = useDateTime();
  const labels = useCaseLabels();
  const detail = useQuery({
    queryKey: ['ops', 'case', number],
    queryFn: () => api.get<CaseDetail>(`/ops/cases/${number}`),
  });
  return (
    <>
      <p>
        <Link to="/ops/cases">{t('ops.cases.back')}</Link>
      </p>
      <ErrorAlert error={detail.error} />
      {detail.isPending ? (
        <Loading />
      ) : detail.data ? (
        <>
          <h1>
            {detail.data.number} {detail.data.subject}
          </h1>
          <section className="card" aria-labelledby="case-facts">
            <h2 id="case-facts">{t('ops.case.facts')}</h2>
            <dl className="facts">
              <dt>{t('ops.case.status')}</dt>
              <dd>
                {t(`ops.caseStatus.${detail.data.status}`)}
                <span className="ops-muted">
                  {' '}
                  — {t(`ops.statusMessage.${detail.data.statusMessage}`, { defaultValue: '' })}
                </span>
              </dd>
              <dt>{t('ops.case.tenant')}</dt>
              <dd>
                {detail.data.tenant} {detail.data.contractor}
              </dd>
              <dt>{t('ops.case.service')}</dt>
              <dd>{labels.service(detail.data.service)}</dd>
              <dt>{t('ops.case.category')}</dt>
              <dd>{labels.category(detail.data.category)}</dd>
              <dt>{t('ops.case.requester')}</dt>
              <dd>{detail.data.requester?.name ?? '—'}</dd>
              <dt>{t('ops.case.created')}</dt>
              <dd>{when(detail.data.createdAt)}</dd>
              <dt>{t('ops.case.updated')}</dt>
              <dd>{when(detail.data.updatedAt)}</dd>
            </dl>
            <p className="ops-text">{htmlToText(detail.data.description)}</p>
            {detail.data.requester && (
              <p>
                <Link
                  to={`/ops/mfa-reset?user=${encodeURIComponent(detail.data.requester.id)}&case=${detail.data.number}`}
                >
                  {t('ops.case.mfaReset')}
                </Link>
              </p>
            )}
          </section>
          <section className="card" aria-labelledby="case-files">
            <h2 id="case-files">{t('ops.case.files')}</h2>
            <AttachmentList
              items={detail.data.attachments}
              basePath={`/ops/cases/${detail.data.number}/attachments`}
            />
          </section>
          <Activity activity={detail.data.activity} />
          {detail.data.availableActions.includes('comment') && <Reply number={number} />}
          <StatusChange detail={detail.data} />
        </>
      ) : null}
    </>
  );
}

function Activity({ activity }: { activity: CaseActivity[] }) {
  const { t } = useTranslation();
  const when = useDateTime();
  return (
    <section className="card" aria-labelledby="case-activity">
      <h2 id="case-activity">{t('ops.case.activity')}</h2>
      {activity.length === 0 ? (
        <p>{t('ops.case.noActivity')}</p>
      ) : (
        <ol className="ops-activity">
          {activity.map((entry) => (
            <li key={entry.id} className={entry.author?.role === 'operator' ? 'operator' : undefined}>
              <div className="ops-muted">
                {when(entry.at)} · {entry.author?.name ?? t('ops.case.system')}
                {entry.author
                  ? ` (${t(`ops.case.roles.${entry.author.role}`, { defaultValue: entry.author.role })})`
                  : ''}
              </div>
              {entry.kind === 'comment' && entry.body !== undefined ? (
                <p className="ops-text">{htmlToText(entry.body)}</p>
              ) : (
                <p className="ops-text">{systemText(entry, t)}</p>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function systemText(
  entry: CaseActivity,
  t: (key: string, options?: Record<string, unknown>) => string,
): string {
  const data = entry.data ?? {};
  if (entry.event === 'status_changed' && typeof data.from === 'string' && typeof data.to === 'string') {
    return t('ops.events.status_changed', {
      from: t(`ops.caseStatus.${data.from}`),
      to: t(`ops.caseStatus.${data.to}`),
    });
  }
  return t(`ops.events.${entry.event ?? 'unknown'}`, { defaultValue: entry.event ?? '' });
}

function Reply({ number }: { number: string }) {
  const { t } = useTranslation();
  const form = useForm({ defaultValues: { body: '' } });
  const reply = useOpsAction(
    (api, body: string) => api.post(`/ops/cases/${number}/comments`, { body: textToHtml(body) }),
    [
      ['ops', 'case', number],
      ['ops', 'cases'],
    ],
    () => form.reset(),
  );
  return (
    <section className="card" aria-labelledby="case-reply">
      <h2 id="case-reply">{t('ops.case.reply')}</h2>
      <form noValidate onSubmit={(e) => void form.handleSubmit((v) => reply.mutate(v.body))(e)}>
        <ErrorAlert error={reply.error} />
        {reply.isSuccess && <Notice>{t('ops.case.replied')}</Notice>}
        <TextArea
          label={t('ops.case.replyBody')}
          hint={t('ops.case.replyHint')}
          error={form.formState.errors.body?.message}
          {...form.register('body', { validate: (v) => v.trim().length > 0 || 'validation.required' })}
        />
        <button type="submit" className="primary" disabled={reply.isPending}>
          {t('ops.case.send')}
        </button>
      </form>
    </section>
  );
}

function StatusChange({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const choices = statusChoices(detail);
  const form = useForm<{ status: OperatorStatus | ''; comment: string }>({
    defaultValues: { status: '', comment: '' },
  });
  const change = useOpsAction(
    (api, v: { status: OperatorStatus; comment: string }) =>
      api.post(`/ops/cases/${detail.number}/status`, {
        status: v.status,
        ...(v.comment.trim() ? { comment: textToHtml(v.comment) } : {}),
      }),
    [
      ['ops', 'case', detail.number],
      ['ops', 'cases'],
    ],
    () => form.reset(),
  );
  return (
    <section className="card" aria-labelledby="case-status">
      <h2 id="case-status">{t('ops.case.changeStatus')}</h2>
      {choices.length === 0 ? (
        <p>{t(detail.status === 'resolved' ? 'ops.case.awaitingApproval' : 'ops.case.final')}</p>
      ) : (
        <form
          noValidate
          onSubmit={(e) =>
            void form.handleSubmit((v) => {
              if (v.status) {
                change.mutate({ status: v.status, comment: v.comment });
              }
            })(e)
          }
        >
          <ErrorAlert error={change.error} />
          {change.isSuccess && <Notice>{t('ops.case.statusChanged')}</Notice>}
          <SelectField
            label={t('ops.case.newStatus')}
            error={form.formState.errors.status?.message}
            {...form.register('status', { required: 'validation.required' })}
          >
            <option value="">{t('ops.common.choose')}</option>
            {choices.map((status) => (
              <option key={status} value={status}>
                {t(`ops.caseStatus.${status}`)}
              </option>
            ))}
          </SelectField>
          <TextArea label={t('ops.case.statusComment')} {...form.register('comment')} />
          <button type="submit" disabled={change.isPending}>
            {t('ops.case.applyStatus')}
          </button>
        </form>
      )}
    </section>
  );
}
