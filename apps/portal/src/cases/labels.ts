import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../session/services';
import type { ServiceSetting } from './types';

/** A category a customer may open an inquiry in (CASE-3), as `GET /case-categories` answers it. */
export interface CaseCategoryOption {
  code: string;
  label: { ja: string; en: string };
}

/** The categories operators let customers choose (`GET /case-categories`), labelled in the reader's language. */
export function useCaseCategories() {
  const api = useApi();
  const { i18n } = useTranslation();
  const lang = i18n.resolvedLanguage === 'en' ? 'en' : 'ja';
  const categories = useQuery({
    queryKey: ['case-categories'],
    queryFn: () => api.get<CaseCategoryOption[]>('/case-categories'),
    staleTime: 5 * 60_000,
  });
  return { ...categories, labelOf: (c: CaseCategoryOption) => c.label[lang] };
}

/** The tenant's contracted services (`GET /service-settings`), shared by every screen that names one. */
export function useServiceSettings() {
  const api = useApi();
  return useQuery({
    queryKey: ['service-settings'],
    queryFn: () => api.get<ServiceSetting[]>('/service-settings'),
    staleTime: 5 * 60_000,
  });
}

/** Service code → its name in the reader's language; an unknown code reads as itself. */
export function useServiceName(): (code: string) => string {
  const settings = useServiceSettings();
  return useMemo(() => {
    const names = new Map((settings.data ?? []).map((s) => [s.serviceCode, s.service]));
    return (code: string) => names.get(code) ?? code;
  }, [settings.data]);
}

/** Every category of CASE-3, for the filter's choices; labels come from the portal's strings. */
export const ALL_CATEGORIES = [
  'service',
  'product_spec',
  'fault',
  'other',
  'monthly_report_inquiry',
  'security_alert',
  'monitoring_alert',
  'incident_report',
  'incident_response',
  'incident',
  'work_request',
  'monthly_report',
  'alarm',
  'alert',
  'about_alerts',
  'health_check',
  'credits_exceeded',
] as const;
