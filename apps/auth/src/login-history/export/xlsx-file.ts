import ExcelJS from 'exceljs';
import { headersOf, HistoryTable } from './history-table';

const WIDTHS: Record<HistoryTable['columns'][number]['key'], number> = {
  time: 27,
  loginId: 30,
  event: 14,
  method: 16,
  result: 9,
  reasons: 28,
  ip: 18,
  userAgent: 60,
  target: 48,
};

/**
 * An Excel workbook with one sheet. Cells are written as strings, never as formulas, so a user agent
 * like `=HYPERLINK(…)` stays text; times are text with their offset (Excel dates carry no zone).
 */
export async function xlsxFile(table: HistoryTable, sheetName: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Mamori';
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((c) => ({ key: c.key, width: WIDTHS[c.key] }));
  const header = sheet.addRow(headersOf(table));
  header.font = { bold: true };
  for (const row of table.rows) {
    sheet.addRow(row);
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
