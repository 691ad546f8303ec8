import { type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ModalDialog } from '../ui/modal-dialog';

/**
 * A modal question before a decision that cannot be taken back (closing a case, approving or
 * rejecting a solution): the native <dialog> keeps the keyboard inside and Escape cancels.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busy,
  onConfirm,
  onCancel,
}: {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  return (
    <ModalDialog title={title} onCancel={onCancel}>
      {children}
      <div className="button-row">
        <button type="button" className="primary" disabled={busy} onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </button>
      </div>
    </ModalDialog>
  );
}
