import { Writable } from 'node:stream';
import { setImmediate, setTimeout } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { roomIn } from './drain.util';
import { ExportTableSpec, RowWriter } from './export-table';

/** Bytes of sheet XML waiting for the zip before more rows are written. */
const ZIP_BACKLOG_LIMIT = 1024 * 1024;

interface SheetInternals {
  stream?: { pipes?: { _writableState?: { length?: number } }[] };
}

/**
 * Bytes the zip has been given and not compressed yet: exceljs pipes the sheet into a stream of the
 * zip (archiver) without heeding its backpressure, so its write buffer is where an export would pile
 * up. Read from exceljs's internals; 0 (no waiting beyond a turn) if they change.
 */
function zipBacklog(sheet: ExcelJS.Worksheet): number {
  const pipes = (sheet as unknown as SheetInternals).stream?.pipes ?? [];
  return pipes.reduce((sum, pipe) => sum + (pipe._writableState?.length ?? 0), 0);
}

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
        // exceljs never pushes back: the sheet hands its XML to the zip whatever the zip holds
        // already. So wait (giving the event loop turns, in which the zip compresses and writes)
        // until the zip's input is small again, then for a slow client (`roomIn`).
        await setImmediate();
        while (zipBacklog(sheet) > ZIP_BACKLOG_LIMIT) {
          await setTimeout(2);
        }
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
