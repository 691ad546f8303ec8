import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../ui/error-alert';
import { ModalDialog } from '../ui/modal-dialog';
import { TextArea } from './fields';
import type { WorkRequest } from './types';
import { useOpsAction } from './use-ops-action';

/** The longest reason the API keeps (CASE-7). */
export const MAX_REASON = 2000;

/**
 * Rejecting a work request (CASE-7): the reason is required, since the customer is e-mailed it and
 * sees it beside the request; nothing is sent until the operator confirms.
 */
export function RejectDialog({
  request,
  onClose,
}: {
  request: Pick<WorkRequest, 'id' | 'item' | 'tenant'>;
  onClose(rejected: boolean): void;
}) {
  const { t } = useTranslation();
  const form = useForm({ defaultValues: { reason: '' } });
  const reject = useOpsAction(
    (api, reason: string) => api.post(`/ops/work-requests/${request.id}/reject`, { reason }),
    [['ops', 'work-requests']],
    () => onClose(true),
  );
  return (
    <ModalDialog
      title={t('ops.workRequests.rejectTitle', { item: request.item.name })}
      onCancel={() => onClose(false)}
    >
      <p>{t('ops.workRequests.rejectIntro', { tenant: request.tenant })}</p>
      <form noValidate onSubmit={(e) => void form.handleSubmit((v) => reject.mutate(v.reason.trim()))(e)}>
        <ErrorAlert error={reject.error} />
        <TextArea
          label={t('ops.workRequests.reason')}
          hint={t('ops.workRequests.reasonHint', { max: MAX_REASON })}
          error={form.formState.errors.reason?.message}
          {...form.register('reason', {
            validate: (v) =>
              v.trim().length === 0
                ? 'ops.validation.reasonRequired'
                : v.trim().length > MAX_REASON
                  ? 'ops.validation.reasonTooLong'
                  : true,
          })}
        />
        <div className="ops-row">
          <button type="submit" className="primary" disabled={reject.isPending}>
            {t('ops.workRequests.confirmReject')}
          </button>
          <button type="button" onClick={() => onClose(false)}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
