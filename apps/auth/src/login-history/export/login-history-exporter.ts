import { Injectable } from '@nestjs/common';
import {
  DomainError,
  ErrorCode,
  LOGIN_HISTORY_EXPORT_MAX_ROWS,
  LoginHistoryEntryView,
  LoginHistoryFile,
  LoginHistoryFileFormat,
} from '@app/contracts';
import { CONTENT_TYPES, tableFile } from '@app/export';
import { ExportReader, historySpec, historyTable } from './history-table';
import { compactStamp, formatInZone } from './zoned-time.util';

/** nats-server's default max_payload: the largest message, and so the largest answer, on our NATS. */
export const NATS_MAX_PAYLOAD = 1024 * 1024;

/**
 * Largest base64 text of a file. The file goes back over NATS in one message (NATS_MAX_PAYLOAD);
 * 16 kB are left for the reply envelope and the other fields. The row cap
 * (LOGIN_HISTORY_EXPORT_MAX_ROWS) and the fields cut in files keep every file under it, even with
 * every field at its longest (export-size.spec.ts); this check is only the last guard.
 */
export const FILE_MAX_BASE64 = NATS_MAX_PAYLOAD - 16 * 1024;

export interface ExportSubject {
  /** Part of the file name, `[A-Za-z0-9-]` only (e.g. `N202400003`); absent for one's own history. */
  fileTag?: string;
  /** Said above the PDF table, e.g. `Tenant N202400003`. */
  scope: string;
}

/**
 * Builds the CSV, xlsx and PDF files of login history (AUTH-22) with the writers it shares with the
 * audit exports (`@app/export`); the PDF prints Japanese login IDs and user agents as themselves.
 */
@Injectable()
export class LoginHistoryExporter {
  async export(
    format: LoginHistoryFileFormat,
    views: LoginHistoryEntryView[],
    reader: ExportReader,
    subject: ExportSubject,
    now: Date,
  ): Promise<LoginHistoryFile> {
    if (views.length > LOGIN_HISTORY_EXPORT_MAX_ROWS) {
      throw new Error(`an export holds ${LOGIN_HISTORY_EXPORT_MAX_ROWS} rows at most`);
    }
    const table = historyTable(views, reader);
    const bytes = await this.build(format, table, subject, reader, now);
    const base64 = bytes.toString('base64');
    if (base64.length > FILE_MAX_BASE64) {
      throw new DomainError(ErrorCode.PayloadTooLarge, { maxBytes: Math.floor((FILE_MAX_BASE64 * 3) / 4) });
    }
    const tag = subject.fileTag ? `-${subject.fileTag}` : '';
    return {
      fileName: `login-history${tag}-${compactStamp(now, reader.timeZone)}.${format}`,
      contentType: CONTENT_TYPES[format],
      base64,
      rows: views.length,
    };
  }

  private build(
    format: LoginHistoryFileFormat,
    table: ReturnType<typeof historyTable>,
    subject: ExportSubject,
    reader: ExportReader,
    now: Date,
  ): Promise<Buffer> {
    const spec = historySpec(table, {
      scope: subject.scope,
      generatedAt: formatInZone(now, reader.timeZone),
    });
    return tableFile(format, spec, table.rows);
  }
}
