/** One column of an exported table. */
export interface ExportColumn {
  /** Stable name of the column (xlsx column key). */
  key: string;
  /** Header text, already in the reader's language. */
  header: string;
  /** Width in characters in the xlsx sheet. */
  xlsxWidth: number;
  /** Width in points on an A4 landscape PDF page (782 pt between the margins); absent: not in the PDF. */
  pdfWidth?: number;
}

/** What a file says about itself besides its rows. */
export interface ExportTableSpec {
  /** PDF title and document title, e.g. `Audit events`. */
  title: string;
  /** The PDF line under the title: scope, filters, time zone, generation time. */
  subtitle: string;
  /** The xlsx sheet name (31 characters at most; Excel refuses longer). */
  sheetName: string;
  columns: readonly ExportColumn[];
  /**
   * Headers for the PDF when they differ from `header` (login history keeps English PDF headers,
   * which its readers' tooling and tests rely on).
   */
  pdfHeaders?: readonly string[];
}

export const TABLE_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

export const CONTENT_TYPES: Record<TableFormat | 'json', string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/**
 * A file being written row by row into a stream. `write` resolves when the stream can take more
 * (backpressure), so a producer that awaits it never holds more than a few rows: this is what keeps
 * an export of any size in constant memory.
 */
export interface RowWriter {
  write(cells: readonly string[]): Promise<void>;
  /** Finishes the file; resolves when the last byte is handed to the stream. */
  end(): Promise<void>;
}
