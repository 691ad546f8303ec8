import { Writable } from 'node:stream';
import { EventEmitter, once } from 'node:events';
import { setImmediate, setTimeout } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { roomIn } from './drain.util';
import { ExportTableSpec, RowWriter } from './export-table';

/** Bytes of sheet XML waiting for the zip before more rows are written. */
const ZIP_BACKLOG_LIMIT = 1024 * 1024;

interface ZipInputStream extends EventEmitter {
  _writableState?: { length?: number };
}

interface SheetInternals {
  stream?: { pipes?: ZipInputStream[] };
}

/**
 * The stream of the zip (archiver) that exceljs pipes the sheet into without heeding its
 * backpressure: its write buffer is where an export would pile up. Read from exceljs's internals;
 * undefined (no waiting beyond a turn) if they change.
 */
function zipInputOf(sheet: ExcelJS.Worksheet): { stream: ZipInputStream; backlog: () => number } | undefined {
  const stream = (sheet as unknown as SheetInternals).stream?.pipes?.[0];
  if (!stream || typeof stream._writableState?.length !== 'number') {
    return undefined;
  }
  return { stream, backlog: () => stream._writableState?.length ?? 0 };
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
        const zipInput = zipInputOf(sheet);
        if (zipInput && zipInput.backlog() > ZIP_BACKLOG_LIMIT) {
          // The zip's input stream says when it has taken everything ('drain'); the time-out only
          // guards against a stream that would never say so.
          // Whichever wins, the other's listener or timer is removed: a long export waits thousands of times.
          const done = new AbortController();
          const drained = once(zipInput.stream, 'drain', { signal: done.signal });
          try {
            await Promise.race([drained, setTimeout(1_000, undefined, { signal: done.signal })]);
          } finally {
            done.abort();
            drained.catch(() => undefined);
          }
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
