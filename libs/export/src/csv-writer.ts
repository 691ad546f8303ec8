import { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { neutralizeFormula } from './csv-injection.util';
import { roomIn } from './drain.util';
import { ExportTableSpec, RowWriter } from './export-table';

const OPTIONS = { record_delimiter: 'windows' } as const;

/**
 * RFC 4180 CSV in UTF-8 with a byte-order mark, so Excel reads Japanese text as such. Every cell is
 * checked for formula starts (CSV injection); the headers are ours.
 */
export function csvWriter(out: Writable, spec: ExportTableSpec): RowWriter {
  let started = false;
  const put = async (cells: readonly string[]): Promise<void> => {
    const bom = started ? '' : '\ufeff';
    started = true;
    out.write(bom + stringify([cells as string[]], OPTIONS));
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
