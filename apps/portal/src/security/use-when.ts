import { useTranslation } from 'react-i18next';

/** A date and time of the API (ISO 8601) as the user's language writes it. */
export function useWhen(): (iso: string) => string {
  const { t } = useTranslation();
  const format = new Intl.DateTimeFormat(t('locale'), { dateStyle: 'medium', timeStyle: 'short' });
  return (iso) => format.format(new Date(iso));
}
