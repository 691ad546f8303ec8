import { PassThrough, Writable } from 'node:stream';
import { csvWriter } from './csv-writer';
import { ExportTableSpec, RowWriter, TableFormat } from './export-table';
import { pdfWriter } from './pdf-writer';
import { xlsxWriter } from './xlsx-writer';

/** A writer of `format` into `out`; `out` is ended when the writer is. */
export function tableWriter(format: TableFormat, out: Writable, spec: ExportTableSpec): RowWriter {
  switch (format) {
    case 'csv':
      return csvWriter(out, spec);
    case 'xlsx':
      return xlsxWriter(out, spec);
    case 'pdf':
      return pdfWriter(out, spec);
  }
}

/**
 * The whole file in memory, for a caller whose rows are few and bounded (login history sends its
 * file over NATS in one message). Large exports stream with `tableWriter` instead.
 */
export async function tableFile(
  format: TableFormat,
  spec: ExportTableSpec,
  rows: Iterable<readonly string[]>,
): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer | string) => chunks.push(Buffer.from(chunk)));
  const writer = tableWriter(format, sink, spec);
  for (const row of rows) {
    await writer.write(row);
  }
  await writer.end();
  return Buffer.concat(chunks);
}
