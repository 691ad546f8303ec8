import { forwardRef, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldFrame } from '../ui/field';

interface TextAreaProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  label: string;
  /** A message key (validation.*, ops.validation.*). */
  error?: string;
  hint?: string;
}

/** A labelled multi-line input whose error and hint are tied to it, like `Field`. */
export const TextArea = forwardRef<HTMLTextAreaElement, TextAreaProps>(function TextArea(
  { label, error, hint, id, ...input },
  ref,
) {
  return (
    <FieldFrame label={label} error={error} hint={hint} id={id}>
      {(control) => <textarea ref={ref} {...control} {...input} />}
    </FieldFrame>
  );
});

interface SelectProps extends SelectHTMLAttributes<HTMLSelectElement> {
  label: string;
  error?: string;
  children: ReactNode;
}

/** A labelled select. */
export const SelectField = forwardRef<HTMLSelectElement, SelectProps>(function SelectField(
  { label, error, id, children, ...select },
  ref,
) {
  return (
    <FieldFrame label={label} error={error} id={id}>
      {(control) => (
        <select ref={ref} {...control} {...select}>
          {children}
        </select>
      )}
    </FieldFrame>
  );
});

/** A date and time in the operator's language. */
export function useDateTime(): (iso: string | undefined | null) => string {
  const { t } = useTranslation();
  const format = new Intl.DateTimeFormat(t('locale'), { dateStyle: 'medium', timeStyle: 'short' });
  return (iso) => (iso ? format.format(new Date(iso)) : '—');
}
