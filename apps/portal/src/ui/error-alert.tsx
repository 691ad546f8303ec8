import { useTranslation } from 'react-i18next';
import { errorText } from '../api/api-error';

/** A failed call as the user reads it: the server's message in their language, with any wait. */
export function ErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) {
    return null;
  }
  return (
    <div role="alert" className="alert alert-error">
      {errorText(error, t)}
    </div>
  );
}

export function Notice({ children }: { children: React.ReactNode }) {
  return (
    <div role="status" className="alert alert-info">
      {children}
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p role="status" className="loading">
      {t('common.loading')}
    </p>
  );
}
