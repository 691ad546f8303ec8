import { Language } from '@app/contracts';

/** The user's language from Accept-Language: Japanese when the header asks for it first, else English. */
export function languageFrom(acceptLanguage: string | undefined): Language {
  return acceptLanguage?.trim().toLowerCase().startsWith('ja') ? 'ja' : 'en';
}
