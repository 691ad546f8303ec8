import { Language, LoginHistoryEntryView } from '@app/contracts';
import { formatInZone } from './zoned-time.util';

/** Who the file is for: headers in their language, times in their zone (AUTH-20). */
export interface ExportReader {
  language: Language;
  timeZone: string;
}

export interface HistoryColumn {
  key: 'time' | 'loginId' | 'event' | 'method' | 'result' | 'reasons' | 'ip' | 'userAgent' | 'target';
  header: Record<Language, string>;
}

/** The rows of an export as text cells, one column set for every format. */
export interface HistoryTable {
  columns: readonly HistoryColumn[];
  rows: string[][];
  reader: ExportReader;
}

/**
 * Longest user agent and reason list in a file. The JSON view keeps the whole stored value (up to
 * 512 characters); a file cuts them so that its largest possible size fits one NATS message.
 */
export const FILE_MAX_USER_AGENT = 200;
export const FILE_MAX_REASONS = 120;

export const HISTORY_COLUMNS: readonly HistoryColumn[] = [
  { key: 'time', header: { en: 'Time', ja: '日時' } },
  { key: 'loginId', header: { en: 'User ID', ja: 'ユーザーID' } },
  { key: 'event', header: { en: 'Event', ja: '種別' } },
  { key: 'method', header: { en: 'Method', ja: '認証方式' } },
  { key: 'result', header: { en: 'Result', ja: '結果' } },
  { key: 'reasons', header: { en: 'Reasons', ja: '理由' } },
  { key: 'ip', header: { en: 'IP address', ja: 'IPアドレス' } },
  { key: 'userAgent', header: { en: 'User agent', ja: 'ユーザーエージェント' } },
  { key: 'target', header: { en: 'Session / flow', ja: 'セッション / フロー' } },
];

function cellOf(view: LoginHistoryEntryView, key: HistoryColumn['key'], timeZone: string): string {
  switch (key) {
    case 'time':
      return formatInZone(new Date(view.occurredAt), timeZone);
    case 'loginId':
      return view.loginId ?? '';
    case 'event':
      return view.event;
    case 'method':
      return view.method ?? '';
    case 'result':
      return view.result;
    case 'reasons':
      return view.reasons.join(' ').slice(0, FILE_MAX_REASONS);
    case 'ip':
      return view.ip ?? '';
    case 'userAgent':
      return (view.userAgent ?? '').slice(0, FILE_MAX_USER_AGENT);
    case 'target':
      return view.target ? `${view.target.type}:${view.target.id}` : '';
  }
}

/**
 * The rows as cells. Event, method and result stay codes (the same in both languages, so a file can
 * be filtered and compared with the API); only the headers are translated.
 */
export function historyTable(views: LoginHistoryEntryView[], reader: ExportReader): HistoryTable {
  return {
    columns: HISTORY_COLUMNS,
    rows: views.map((view) => HISTORY_COLUMNS.map((c) => cellOf(view, c.key, reader.timeZone))),
    reader,
  };
}

export function headersOf(table: HistoryTable): string[] {
  return table.columns.map((c) => c.header[table.reader.language]);
}
