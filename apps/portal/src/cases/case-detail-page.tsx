import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useApi } from '../session/services';
import { ErrorAlert, Loading, Notice } from '../ui/error-alert';
import { AttachmentList, AttachmentUpload } from './attachments';
import { ConfirmDialog } from './confirm-dialog';
import { useServiceName } from './labels';
import { RichText, textToHtml } from './rich-text';
import type { CaseActivity, CaseDetail } from './types';

type Decision = 'close' | 'approve' | 'reject';

/** One case: its status and what the customer may do now, the activity, files and a reply. */
export function CaseDetailPage() {
  const { number = '' } = useParams();
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const serviceName = useServiceName();
  const key = ['cases', number];
  const detail = useQuery({ queryKey: key, queryFn: () => api.get<CaseDetail>(`/cases/${number}`) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['cases'] });
  const [comment, setComment] = useState('');
  const [decision, setDecision] = useState<Decision>();
  const [reason, setReason] = useState('');
  const addComment = useMutation({
    mutationFn: () => api.post<CaseDetail>(`/cases/${number}/comments`, { body: textToHtml(comment) }),
    onSuccess: async (updated) => {
      setComment('');
      queryClient.setQueryData(key, updated);
      await refresh();
    },
  });
  const decide = useMutation({
    mutationFn: (d: Decision) =>
      api.post(
        `/cases/${number}/${d}`,
        d === 'reject' && reason.trim() ? { reason: textToHtml(reason) } : {},
      ),
    onSuccess: async () => {
      setDecision(undefined);
      setReason('');
      await refresh();
    },
  });

  if (detail.isPending) {
    return <Loading />;
  }
  if (detail.isError) {
    return (
      <div className="stack">
        <ErrorAlert error={detail.error} />
        <Link to="/cases">{t('cases.backToList')}</Link>
      </div>
    );
  }
  const c = detail.data;
  const can = (action: string) => c.availableActions.includes(action as never);
  const when = new Intl.DateTimeFormat(t('locale'), { dateStyle: 'medium', timeStyle: 'short' });
  const decisions = (['approve', 'reject', 'close'] as const).filter(can);
  return (
    <div className="stack">
      <Link to="/cases">{t('cases.backToList')}</Link>
      <div className="card">
        <p className="case-number">{c.number}</p>
        <h1>{c.subject}</h1>
        <p>
          <span className={`status status-${c.status}`} data-status={c.status}>
            {c.statusLabel ?? t(`cases.statuses.${c.status}`)}
          </span>
        </p>
        <p role="status" className="status-message">
          {t(`cases.statusMessages.${c.statusMessage}`, { defaultValue: c.statusLabel ?? c.status })}
        </p>
        {decisions.length > 0 && (
          <div className="button-row">
            {decisions.map((d) => (
              <button
                key={d}
                type="button"
                className={d === 'approve' ? 'primary' : undefined}
                onClick={() => setDecision(d)}
              >
                {t(`cases.decisions.${d}.button`)}
              </button>
            ))}
          </div>
        )}
        <ErrorAlert error={decide.error} />
        {decide.isSuccess && <Notice>{t(`cases.decisions.${decide.variables}.done`)}</Notice>}
        <dl className="facts">
          <dt>{t('cases.columns.service')}</dt>
          <dd>{serviceName(c.service)}</dd>
          <dt>{t('cases.columns.category')}</dt>
          <dd>{t(`cases.categories.${c.category}`, { defaultValue: c.category })}</dd>
          <dt>{t('cases.columns.requester')}</dt>
          <dd>{c.requester?.name ?? '—'}</dd>
          <dt>{t('cases.detail.watchers')}</dt>
          <dd>{c.watchers.length > 0 ? c.watchers.map((w) => w.name).join(', ') : '—'}</dd>
          <dt>{t('cases.detail.created')}</dt>
          <dd>{when.format(new Date(c.createdAt))}</dd>
          <dt>{t('cases.columns.updated')}</dt>
          <dd>{when.format(new Date(c.updatedAt))}</dd>
        </dl>
        <h2>{t('cases.detail.description')}</h2>
        <RichText html={c.description} />
      </div>

      <section className="card" aria-labelledby="attachments-title">
        <h2 id="attachments-title">{t('cases.attachments.title')}</h2>
        <AttachmentList items={c.attachments} basePath={`/cases/${c.number}/attachments`} />
        {can('attach') && (
          <AttachmentUpload path={`/cases/${c.number}/attachments`} onUploaded={() => void refresh()} />
        )}
      </section>

      <section className="card" aria-labelledby="activity-title">
        <h2 id="activity-title">{t('cases.detail.activity')}</h2>
        <ol className="activity">
          {c.activity.map((entry) => (
            <ActivityEntry key={entry.id} entry={entry} when={when} />
          ))}
        </ol>
        {can('comment') && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (comment.trim()) {
                addComment.mutate();
              }
            }}
          >
            <ErrorAlert error={addComment.error} />
            <div className="field">
              <label htmlFor="case-comment">{t('cases.detail.comment')}</label>
              <textarea
                id="case-comment"
                rows={4}
                value={comment}
                onChange={(e) => setComment(e.target.value)}
              />
            </div>
            <button type="submit" className="primary" disabled={!comment.trim() || addComment.isPending}>
              {t('cases.detail.send')}
            </button>
          </form>
        )}
      </section>

      {decision && (
        <ConfirmDialog
          title={t(`cases.decisions.${decision}.title`)}
          confirmLabel={t(`cases.decisions.${decision}.confirm`)}
          busy={decide.isPending}
          onConfirm={() => decide.mutate(decision)}
          onCancel={() => setDecision(undefined)}
        >
          <p>{t(`cases.decisions.${decision}.question`, { number: c.number })}</p>
          {decision === 'reject' && (
            <div className="field">
              <label htmlFor="reject-reason">{t('cases.decisions.reject.reason')}</label>
              <textarea
                id="reject-reason"
                rows={3}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
              />
            </div>
          )}
          <ErrorAlert error={decide.error} />
        </ConfirmDialog>
      )}
    </div>
  );
}

function ActivityEntry({ entry, when }: { entry: CaseActivity; when: Intl.DateTimeFormat }) {
  const { t } = useTranslation();
  const who = entry.author
    ? `${entry.author.name} (${t(`cases.roles.${entry.author.role}`)})`
    : t('cases.roles.system');
  return (
    <li className={`activity-entry activity-${entry.kind}`}>
      <p className="activity-meta">
        <span>{who}</span> · <time dateTime={entry.at}>{when.format(new Date(entry.at))}</time>
      </p>
      {entry.kind === 'comment' && entry.body !== undefined ? (
        <RichText html={entry.body} />
      ) : (
        <p>{systemText(entry, t)}</p>
      )}
    </li>
  );
}

function systemText(
  entry: CaseActivity,
  t: (key: string, options?: Record<string, unknown>) => string,
): string {
  const data = entry.data ?? {};
  switch (entry.event) {
    case 'status_changed':
      return t('cases.events.status_changed', {
        from: t(`cases.statuses.${String(data.from)}`),
        to: t(`cases.statuses.${String(data.to)}`),
      });
    case 'attachment_added':
      return t('cases.events.attachment_added', { name: String(data.name ?? '') });
    default:
      return t(`cases.events.${entry.event ?? 'unknown'}`, { defaultValue: entry.event ?? '' });
  }
}
