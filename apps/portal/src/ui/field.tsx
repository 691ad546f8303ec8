import { forwardRef, useId, type InputHTMLAttributes, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** What a labelled control takes from its frame: its id and what describes it to screen readers. */
export interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

interface FrameProps {
  label: string;
  /** A message key (validation.*) or a text from the server. */
  error?: string;
  hint?: string;
  id?: string;
  children: (control: ControlProps) => ReactNode;
}

/** A label, an optional hint and an error around one control (input, textarea, select), tied to it. */
export function FieldFrame({ label, error, hint, id, children }: FrameProps) {
  const { t } = useTranslation();
  const generated = useId();
  const controlId = id ?? generated;
  const hintId = `${controlId}-hint`;
  const errorId = `${controlId}-error`;
  const describedBy = [hint ? hintId : undefined, error ? errorId : undefined].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={controlId}>{label}</label>
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {children({
        id: controlId,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy || undefined,
      })}
      {error && (
        <p id={errorId} className="field-error">
          {t(error)}
        </p>
      )}
    </div>
  );
}

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  /** A message key (validation.*) or a text from the server. */
  error?: string;
  hint?: string;
}

/** A labelled input whose error and hint are tied to it for screen readers. */
export const Field = forwardRef<HTMLInputElement, FieldProps>(function Field(
  { label, error, hint, id, ...input },
  ref,
) {
  return (
    <FieldFrame label={label} error={error} hint={hint} id={id}>
      {(control) => <input ref={ref} {...control} {...input} />}
    </FieldFrame>
  );
});
