import { Language, LoginHistoryEntryView } from '@app/contracts';
import { ExportTableSpec } from '@app/export';
import { formatInZone } from './zoned-time.util';

/** Who the file is for: headers in their language, times in their zone (AUTH-20). */
export interface ExportReader {
  language: Language;
  timeZone: string;
}

export interface HistoryColumn {
  key: 'time' | 'loginId' | 'event' | 'method' | 'result' | 'reasons' | 'ip' | 'userAgent' | 'target';
  header: Record<Language, string>;
  xlsxWidth: number;
  /** Points on an A4 landscape page (782 between the margins); the target id is left out of the PDF. */
  pdfWidth?: number;
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
  { key: 'time', header: { en: 'Time', ja: '日時' }, xlsxWidth: 27, pdfWidth: 104 },
  { key: 'loginId', header: { en: 'User ID', ja: 'ユーザーID' }, xlsxWidth: 30, pdfWidth: 112 },
  { key: 'event', header: { en: 'Event', ja: '種別' }, xlsxWidth: 14, pdfWidth: 56 },
  { key: 'method', header: { en: 'Method', ja: '認証方式' }, xlsxWidth: 16, pdfWidth: 62 },
  { key: 'result', header: { en: 'Result', ja: '結果' }, xlsxWidth: 9, pdfWidth: 38 },
  { key: 'reasons', header: { en: 'Reasons', ja: '理由' }, xlsxWidth: 28, pdfWidth: 100 },
  { key: 'ip', header: { en: 'IP address', ja: 'IPアドレス' }, xlsxWidth: 18, pdfWidth: 90 },
  {
    key: 'userAgent',
    header: { en: 'User agent', ja: 'ユーザーエージェント' },
    xlsxWidth: 60,
    pdfWidth: 220,
  },
  { key: 'target', header: { en: 'Session / flow', ja: 'セッション / フロー' }, xlsxWidth: 48 },
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

/** What the shared writers (`@app/export`) need to know about a login history file besides its rows. */
export function historySpec(
  table: HistoryTable,
  heading: { scope: string; generatedAt: string },
): ExportTableSpec {
  return {
    title: 'Login history',
    subtitle:
      `${heading.scope} - ${table.rows.length} rows, newest first - times in ${table.reader.timeZone} ` +
      `with UTC offset - generated ${heading.generatedAt}`,
    sheetName: table.reader.language === 'ja' ? 'ログイン履歴' : 'Login history',
    columns: table.columns.map((c) => ({
      key: c.key,
      header: c.header[table.reader.language],
      xlsxWidth: c.xlsxWidth,
      pdfWidth: c.pdfWidth,
    })),
    // The PDF keeps English headers in every language: its layout and its readers' tools expect them.
    pdfHeaders: table.columns.map((c) => c.header.en),
  };
}
