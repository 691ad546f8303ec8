import { stringify } from 'csv-stringify/sync';
import { neutralizeFormula } from './csv-injection.util';
import { headersOf, HistoryTable } from './history-table';

/**
 * RFC 4180 CSV in UTF-8 with a byte-order mark, so Excel reads the Japanese headers as such. Every
 * cell is checked for formula starts (CSV injection); the headers are ours.
 */
export function csvFile(table: HistoryTable): Buffer {
  const text = stringify([headersOf(table), ...table.rows.map((row) => row.map(neutralizeFormula))], {
    bom: true,
    record_delimiter: 'windows',
  });
  return Buffer.from(text, 'utf8');
}
