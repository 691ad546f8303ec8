import { Injectable, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { PassThrough } from 'node:stream';
import {
  AUDIT_PAGE_MAX_SIZE,
  AuditEventsPage,
  AuditEventsQueryDto,
  AuditRecordView,
  ExportFormat,
} from '@app/contracts';
import { Clock } from '@app/config';
import { CONTENT_TYPES, jsonArrayWriter, tableWriter } from '@app/export';
import { RpcClient } from '@app/messaging';
import { AppLogger, InjectLogger } from '@app/observability';
import { AUDIT_EXPORT_COLUMNS, auditCells } from './audit-export-columns';

/** Header that carries the cursor of the next JSON page (the body stays the array of events). */
export const NEXT_CURSOR_HEADER = 'X-Next-Cursor';

/**
 * The audit events routes' work (AUDIT-4), shared by the tenant admin and operator routes.
 *
 * Exports of any size: the audit service answers one page (at most 500 events, well under one NATS
 * message) at a time, and the gateway asks for the next page with the signed cursor of the last,
 * writing each page into the file as it streams to the client. No answer crosses NATS larger than a
 * page, no process holds more than a page and the writers' buffers, and a client that reads slowly
 * slows the paging down (backpressure) instead of making the gateway buffer the file.
 */
@Injectable()
export class AuditEventsExporter {
  private readonly logger: AppLogger;

  constructor(
    private readonly rpc: RpcClient,
    private readonly clock: Clock,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: AuditEventsExporter.name });
  }

  /** The answer of `GET …/audit-events`: a page without `format`, else the file. */
  answer(
    query: AuditEventsQueryDto,
    tenant: string,
    res: Response,
  ): Promise<AuditRecordView[] | StreamableFile> {
    const { format, ...rest } = query;
    if (format === undefined) {
      return this.page(rest, tenant, res);
    }
    const { limit: _pageSize, ...filters } = rest;
    return this.file(format, filters, tenant, res, this.clock.now());
  }

  /** One JSON page (an array), the next page's cursor in `X-Next-Cursor` and a `Link: rel="next"`. */
  async page(
    query: Omit<AuditEventsQueryDto, 'format'>,
    tenant: string,
    res: Response,
  ): Promise<AuditRecordView[]> {
    const page = await this.rpc.send('audit-trail.events.query', { ...query, tenant });
    if (page.nextCursor) {
      res.setHeader(NEXT_CURSOR_HEADER, page.nextCursor);
      // The same request with the cursor: path, tenant (ops) and filters as the client sent them.
      const next = new URL(res.req.originalUrl, 'http://gateway');
      next.searchParams.set('cursor', page.nextCursor);
      res.setHeader('Link', `<${next.pathname}${next.search}>; rel="next"`);
    }
    return page.items;
  }

  /**
   * The file of every event matching the filters, streamed. The first page is read before the answer
   * starts, so a refused query (a bad cursor, a forbidden tenant) is still a proper error answer.
   */
  async file(
    format: ExportFormat,
    query: Omit<AuditEventsQueryDto, 'format' | 'limit'>,
    tenant: string,
    res: Response,
    now: Date,
  ): Promise<StreamableFile> {
    const request = { ...query, tenant, limit: AUDIT_PAGE_MAX_SIZE };
    const first = await this.rpc.send('audit-trail.events.query', request);
    const out = new PassThrough();
    // A client that goes away ends the export: the next write fails and paging stops.
    res.once('close', () => out.destroy());
    this.write(format, first, request, tenant, out, now).catch((error: unknown) => {
      this.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'audit export stopped',
      );
      out.destroy(error instanceof Error ? error : new Error(String(error)));
    });
    const file = new StreamableFile(out, {
      type: CONTENT_TYPES[format],
      disposition: `attachment; filename="${fileName(tenant, now, format)}"`,
    });
    // A failure mid-file (the audit service gone, say) must not end the answer as if the file were
    // complete: the connection is cut, so the client sees an incomplete download, not a short trail.
    file.setErrorHandler(() => {
      res.destroy();
    });
    return file;
  }

  private writerOf(
    format: ExportFormat,
    out: PassThrough,
    request: Omit<AuditEventsQueryDto, 'format'>,
    tenant: string,
    now: Date,
  ): EventWriter {
    if (format === 'json') {
      return jsonArrayWriter(out);
    }
    const table = tableWriter(format, out, {
      title: 'Audit events',
      subtitle: `Tenant ${tenant} - ${describe(request)} - newest first - times in UTC - generated ${now.toISOString()}`,
      sheetName: 'Audit events',
      columns: AUDIT_EXPORT_COLUMNS,
    });
    return { write: (event) => table.write(auditCells(event)), end: () => table.end() };
  }

  private async write(
    format: ExportFormat,
    first: AuditEventsPage<AuditRecordView>,
    request: Omit<AuditEventsQueryDto, 'format'> & { tenant: string },
    tenant: string,
    out: PassThrough,
    now: Date,
  ): Promise<void> {
    const writer = this.writerOf(format, out, request, tenant, now);
    let page = first;
    for (;;) {
      for (const event of page.items) {
        await writer.write(event);
      }
      if (!page.nextCursor) {
        break;
      }
      page = await this.rpc.send('audit-trail.events.query', { ...request, cursor: page.nextCursor });
    }
    await writer.end();
  }
}

interface EventWriter {
  write(event: AuditRecordView): Promise<void>;
  end(): Promise<void>;
}

function describe(query: Omit<AuditEventsQueryDto, 'format'>): string {
  const filters = (['type', 'userId', 'outcome', 'from', 'to'] as const)
    .filter((key) => query[key] !== undefined)
    .map((key) => `${key}=${query[key]}`);
  return filters.length > 0 ? filters.join(', ') : 'all events';
}

function fileName(tenant: string, now: Date, format: ExportFormat): string {
  const stamp = now.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return `audit-events-${tenant.replace(/[^A-Za-z0-9-]/g, '_')}-${stamp}.${format}`;
}

export const AUDIT_EXPORT_TYPES = ['application/json', 'text/csv', CONTENT_TYPES.xlsx, CONTENT_TYPES.pdf];

export const AUDIT_EVENTS_DESCRIPTION =
  'Newest first. Filters: `type` (a type or its start: `auth.login` or `auth.login.*`), `userId`, ' +
  '`outcome`, `from` (inclusive), `to` (exclusive). Without `format`: one page of `limit` events ' +
  '(default 100, at most 500) as a JSON array; when more follow, the header `X-Next-Cursor` (and ' +
  '`Link: rel="next"`) carries the cursor to pass as `cursor` for the next page. Cursors are opaque and ' +
  'signed, valid only with the same filters; a forged or foreign one is `400 validation_failed`. With ' +
  '`format=json|csv|xlsx|pdf`: a file (attachment) of every matching event, of any size, streamed as it ' +
  'is read (times in UTC; CSV in UTF-8 with a byte-order mark and formula starts neutralised; the PDF ' +
  'prints Japanese text in Noto Sans JP).';

export const AUDIT_EVENTS_RESPONSE = {
  description: 'No format: one page, a JSON array of events. A format: the file.',
  content: {
    'application/json': { schema: { type: 'array' as const, items: { type: 'object' as const } } },
    ...Object.fromEntries(
      AUDIT_EXPORT_TYPES.slice(1).map((t) => [t, { schema: { type: 'string' as const, format: 'binary' } }]),
    ),
  },
};
