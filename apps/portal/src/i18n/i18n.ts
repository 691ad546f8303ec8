import i18next, { type i18n as I18n } from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import { adminMessages } from '../admin/i18n';
import { customerStrings } from '../cases/i18n';
import { opsMessages } from '../ops/i18n';
import { securityMessages } from '../security/i18n';
import { en } from './en';
import { ja } from './ja';

export const LANGUAGES = ['ja', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each feature's own `{ ja, en }` messages, merged into the one translation namespace. */
const FEATURE_MESSAGES: Record<Language, object>[] = [
  securityMessages,
  customerStrings,
  adminMessages,
  opsMessages,
];

/**
 * Japanese unless the user chose English (the switch, or the account's language after login) or
 * the browser prefers it. Only the chosen language is remembered in localStorage: nothing sensitive.
 */
export function createI18n(options: { detect?: boolean; language?: Language } = {}): I18n {
  const instance = i18next.createInstance();
  if (options.detect ?? true) {
    instance.use(LanguageDetector);
  }
  void instance.use(initReactI18next).init({
    resources: { ja: { translation: ja }, en: { translation: en } },
    lng: options.language,
    fallbackLng: 'ja',
    supportedLngs: [...LANGUAGES],
    nonExplicitSupportedLngs: true,
    load: 'languageOnly',
    interpolation: { escapeValue: false },
    detection: {
      order: ['localStorage', 'navigator'],
      lookupLocalStorage: 'mamori.language',
      caches: ['localStorage'],
    },
    initAsync: false,
    showSupportNotice: false,
  });
  for (const messages of FEATURE_MESSAGES) {
    for (const language of LANGUAGES) {
      instance.addResourceBundle(language, 'translation', messages[language], true, false);
    }
  }
  instance.on('languageChanged', (language) => {
    document.documentElement.lang = language;
  });
  document.documentElement.lang = instance.resolvedLanguage ?? 'ja';
  return instance;
}

export function currentLanguage(instance: I18n): Language {
  const language = instance.resolvedLanguage ?? instance.language;
  return language?.startsWith('en') ? 'en' : 'ja';
}
