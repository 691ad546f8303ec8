import { Writable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { roomIn } from './drain.util';
import { ExportTableSpec, RowWriter } from './export-table';

/**
 * An Excel workbook with one sheet, written with exceljs's streaming WorkbookWriter: each row is
 * committed (serialised into the zip) as it comes, so the sheet is never held whole. Cells are
 * strings, never formulas, so a user agent like `=HYPERLINK(…)` stays text; times are text with
 * their offset (Excel dates carry no zone).
 */
export function xlsxWriter(out: Writable, spec: ExportTableSpec): RowWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    // Shared strings are kept in memory until the end; inline strings keep the writer flat.
    useSharedStrings: false,
  });
  workbook.creator = 'Mamori';
  const sheet = workbook.addWorksheet(spec.sheetName.slice(0, 31), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = spec.columns.map((c) => ({ key: c.key, width: c.xlsxWidth }));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: spec.columns.length } };
  const header = sheet.addRow(spec.columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  let rows = 0;
  return {
    async write(cells) {
      sheet.addRow(cells as string[]).commit();
      rows += 1;
      if (rows % 100 === 0) {
        // exceljs never pushes back: its sheet buffer takes whatever is written. Giving the event
        // loop a turn lets the zip compress and hand on what is there before more rows come, and
        // `roomIn` then waits for a slow client.
        await setImmediate();
        await roomIn(out);
      }
    },
    async end() {
      sheet.commit();
      // The WorkbookWriter ends `out` itself once the zip is complete.
      const finished = new Promise<void>((resolve, reject) => {
        out.once('finish', resolve);
        out.once('error', reject);
      });
      await workbook.commit();
      await finished;
    },
  };
}
