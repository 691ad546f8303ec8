import { Language } from '@app/contracts';
import { TemplateError } from './template.error';

/**
 * The job carries no time zone; Mamori's users default to Asia/Tokyo (AUTH user default), and the
 * zone is named in the text so nobody has to guess.
 */
const DISPLAY_TIME_ZONE = 'Asia/Tokyo';

const formats: Record<Language, { format: Intl.DateTimeFormat; zone: string }> = {
  ja: {
    format: new Intl.DateTimeFormat('ja-JP', {
      timeZone: DISPLAY_TIME_ZONE,
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
    }),
    zone: '（日本時間）',
  },
  en: {
    format: new Intl.DateTimeFormat('en-GB', {
      timeZone: DISPLAY_TIME_ZONE,
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }),
    zone: ' (Japan time, UTC+9)',
  },
};

/** `2026年1月1日 9:30（日本時間）` / `1 January 2026 at 09:30 (Japan time, UTC+9)`. */
export function displayTime(iso: string, language: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    throw new TemplateError('invalid_time_parameter');
  }
  const { format, zone } = formats[language];
  return `${format.format(date)}${zone}`;
}

/** Every run of exactly six ASCII digits (a longer run of digits is not a code). */
export function sixDigitRuns(text: string): string[] {
  return text.match(/(?<!\d)\d{6}(?!\d)/g) ?? [];
}

/** `Security Advisory Center <noreply@x>` → `Security Advisory Center`; a bare address → ''. */
export function senderDisplayName(mailFrom: string): string {
  const match = /^\s*"?([^"<]*?)"?\s*<[^>]*>\s*$/.exec(mailFrom);
  return match ? match[1].trim() : '';
}

/** Joins paragraphs with blank lines, dropping empty ones (e.g. a missing signature). */
export function paragraphs(...parts: string[]): string {
  return `${parts.filter((p) => p.length > 0).join('\n\n')}\n`;
}
