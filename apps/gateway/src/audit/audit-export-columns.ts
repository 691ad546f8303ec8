import { AuditRecordView } from '@app/contracts';
import { ExportColumn } from '@app/export';

interface AuditColumn extends ExportColumn {
  cell(event: AuditRecordView): string;
}

/**
 * The columns of an audit export, one set for csv, xlsx and pdf. Times are UTC (ISO 8601), as in the
 * JSON and on the stream, so a file can be compared with either; codes stay codes.
 */
export const AUDIT_EXPORT_COLUMNS: readonly AuditColumn[] = [
  { key: 'time', header: 'Time (UTC)', xlsxWidth: 26, pdfWidth: 96, cell: (e) => e.occurredAt },
  { key: 'type', header: 'Type', xlsxWidth: 36, pdfWidth: 140, cell: (e) => e.type },
  { key: 'outcome', header: 'Outcome', xlsxWidth: 10, pdfWidth: 40, cell: (e) => e.outcome },
  { key: 'userId', header: 'User (id)', xlsxWidth: 38, pdfWidth: 150, cell: (e) => e.actor.userId ?? '' },
  { key: 'tenant', header: 'Tenant', xlsxWidth: 14, pdfWidth: 56, cell: (e) => e.actor.tenant ?? '' },
  { key: 'ip', header: 'IP address', xlsxWidth: 18, pdfWidth: 70, cell: (e) => e.actor.ip ?? '' },
  {
    key: 'target',
    header: 'Target',
    xlsxWidth: 48,
    pdfWidth: 120,
    cell: (e) => (e.target ? `${e.target.type}:${e.target.id}` : ''),
  },
  {
    key: 'reasons',
    header: 'Reasons',
    xlsxWidth: 30,
    pdfWidth: 110,
    cell: (e) => (e.reasons ?? []).join(' '),
  },
  { key: 'userAgent', header: 'User agent', xlsxWidth: 60, cell: (e) => e.actor.userAgent ?? '' },
  { key: 'correlationId', header: 'Correlation id', xlsxWidth: 38, cell: (e) => e.correlationId },
  { key: 'id', header: 'Event id', xlsxWidth: 38, cell: (e) => e.id },
  { key: 'seq', header: 'Chain position', xlsxWidth: 14, cell: (e) => String(e.seq) },
];

export function auditCells(event: AuditRecordView): string[] {
  return AUDIT_EXPORT_COLUMNS.map((c) => c.cell(event));
}
