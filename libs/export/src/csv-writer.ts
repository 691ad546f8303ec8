import { Writable } from 'node:stream';
import { neutralizeFormula } from './csv-injection.util';
import { roomIn } from './drain.util';
import { ExportTableSpec, RowWriter } from './export-table';

/** Characters that make RFC 4180 quote a field. */
const NEEDS_QUOTES = /[",\r\n]/;

/** One RFC 4180 record with CRLF: fields quoted only when they need it, quotes doubled. */
function csvRecord(cells: readonly string[]): string {
  return `${cells.map((c) => (NEEDS_QUOTES.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')}\r\n`;
}

/**
 * RFC 4180 CSV in UTF-8 with a byte-order mark, so Excel reads Japanese text as such. Every cell is
 * checked for formula starts (CSV injection); the headers are ours.
 */
export function csvWriter(out: Writable, spec: ExportTableSpec): RowWriter {
  let started = false;
  const put = async (cells: readonly string[]): Promise<void> => {
    const bom = started ? '' : '\ufeff';
    started = true;
    out.write(bom + csvRecord(cells));
    await roomIn(out);
  };
  let header: Promise<void> | undefined;
  const ready = (): Promise<void> => (header ??= put(spec.columns.map((c) => c.header)));
  return {
    async write(cells) {
      await ready();
      await put(cells.map(neutralizeFormula));
    },
    async end() {
      await ready();
      await new Promise<void>((resolve, reject) =>
        out.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
    },
  };
}
