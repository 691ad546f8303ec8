import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useApi } from '../session/services';
import { useServicesCatalogue } from './tenants-page';
import type { LocalizedText } from './types';

/**
 * Case categories and services by their names in the operator's language (CASE-3, CASE-1); a code
 * the catalogue does not know yet is shown as it is.
 */
export function useCaseLabels(): { category(code: string): string; service(code: string): string } {
  const { i18n } = useTranslation();
  const api = useApi();
  const lang = i18n.resolvedLanguage === 'en' ? 'en' : 'ja';
  const categories = useQuery({
    queryKey: ['ops', 'categories'],
    queryFn: () => api.get<{ code: string; label: LocalizedText }[]>('/ops/categories'),
    staleTime: 5 * 60_000,
  });
  const services = useServicesCatalogue();
  return {
    category: (code) => categories.data?.find((c) => c.code === code)?.label[lang] ?? code,
    service: (code) => services.data?.find((s) => s.code === code)?.name[lang] ?? code,
  };
}
