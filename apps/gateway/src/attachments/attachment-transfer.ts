import { Inject, Injectable } from '@nestjs/common';
import busboy from 'busboy';
import contentDisposition from 'content-disposition';
import type { Response } from 'express';
import rangeParser from 'range-parser';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AttachmentStore, ObjectNotFound } from '@app/attachment-store';
import { APP_CONFIG, GatewayEnv } from '@app/config';
import {
  AttachmentDownload,
  AttachmentTicket,
  AttachmentView,
  CallContext,
  DomainError,
  ErrorCode,
  sanitizeFileName,
} from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { AppLogger, InjectLogger, RequestContext } from '@app/observability';
import { GatewayRequest } from '../request-context/gateway-request';
import { ByteMeter } from './byte-meter';
import { SNIFF_BYTES, sniffMediaType } from './content-sniffer';
import { MediaTypePolicy } from './media-type-policy';

/** Room for the multipart framing around the file (boundaries, part headers, a long file name). */
const MULTIPART_OVERHEAD = 64 * 1024;
/** The one form field an upload has (API.md: multipart `file`). */
const FILE_FIELD = 'file';

/** What the gateway measured of a file while streaming it to the store. */
export interface StoredFile {
  name: string;
  size: number;
  sha256: string;
  contentType: string;
}

/**
 * Where an upload goes: the service that owns the record says whether the caller may upload and
 * under which key (`begin`), then records what was stored (`commit`). Both are called with the
 * request's context, taken before the body is read.
 */
export interface UploadTarget<V> {
  /** Names the upload in logs: a case or article number, never a file name. */
  label: string;
  begin(ctx: CallContext | undefined): Promise<AttachmentTicket>;
  commit(ctx: CallContext | undefined, ticket: AttachmentTicket, file: StoredFile): Promise<V>;
}

/**
 * The HTTP side of attachments (CASE-6), of cases and of knowledge articles (CASE-10): bytes stream from the request to the AttachmentStore and from
 * the store to the response, never whole in memory and never over NATS. The case service decides who
 * may attach or read (`begin`, `open`) and records what was stored (`commit`); this class only moves
 * and measures bytes: multipart parsed as a stream (busboy), SHA-256 and size counted on the fly,
 * the limit enforced as the bytes arrive, the type sniffed from the first bytes.
 */
@Injectable()
export class AttachmentTransfer {
  private readonly logger: AppLogger;
  private readonly maxBytes: number;
  private readonly types: MediaTypePolicy;

  constructor(
    private readonly rpc: RpcClient,
    private readonly store: AttachmentStore,
    @Inject(APP_CONFIG) config: GatewayEnv,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: AttachmentTransfer.name });
    this.maxBytes = config.ATTACHMENT_MAX_BYTES;
    this.types = new MediaTypePolicy(config.ATTACHMENT_TYPES_ALLOWED, config.ATTACHMENT_TYPES_DENIED);
  }

  /** Receives the multipart `file` of `req` as case `number`'s new attachment. */
  upload(req: GatewayRequest, res: Response, number: string): Promise<AttachmentView> {
    return this.uploadTo(req, res, {
      label: number,
      begin: (ctx) => this.rpc.send('case-management.attachment.begin', { number }, ctx),
      commit: (ctx, ticket, file) =>
        this.rpc.send('case-management.attachment.commit', { number, id: ticket.id, ...file }, ctx),
    });
  }

  /** Receives the multipart `file` of `req` for `target` (a case, an article, …). */
  async uploadTo<V>(req: GatewayRequest, res: Response, target: UploadTarget<V>): Promise<V> {
    try {
      return await this.receive(req, target);
    } catch (error) {
      if (!req.complete) {
        // The client is still sending: answer now and close the connection after the answer, while
        // the rest of the body is read and dropped (so the client sees the answer, not a reset).
        res.setHeader('Connection', 'close');
        req.unpipe();
        req.resume();
      }
      throw error;
    }
  }

  private async receive<V>(req: GatewayRequest, target: UploadTarget<V>): Promise<V> {
    if (!req.is('multipart/form-data')) {
      throw fileRequired('must be sent as multipart/form-data');
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.maxBytes + MULTIPART_OVERHEAD) {
      throw new DomainError(ErrorCode.AttachmentTooLarge, { maxBytes: this.maxBytes });
    }
    // Event callbacks of the request stream run outside the request's async context: the context
    // (request id, access token) is taken now and passed on explicitly.
    const ctx = RequestContext.current();
    const ticket = await target.begin(ctx);
    let stored = false;
    try {
      const file = await this.streamToStore(req, ticket.key);
      stored = true;
      return await target.commit(ctx, ticket, file);
    } catch (error) {
      if (stored || !(error instanceof DomainError)) {
        this.logger.warn({ number: target.label, err: describe(error) }, 'attachment upload failed');
      }
      // Bytes whose record certainly never committed go now (or with the sweep if this fails too). A
      // commit that timed out may still have committed: its bytes stay, and the sweep removes them
      // only if their record is still pending after the grace.
      const maybeCommitted =
        stored && !(error instanceof DomainError && error.code !== ErrorCode.ServiceUnavailable);
      if (!maybeCommitted) {
        await this.store.delete(ticket.key).catch(() => undefined);
      }
      throw error;
    }
  }

  /** Parses the multipart body as it arrives and streams its one `file` part to `key`. */
  private streamToStore(req: GatewayRequest, key: string): Promise<StoredFile> {
    return new Promise((resolve, reject) => {
      let parser: busboy.Busboy;
      try {
        parser = busboy({
          headers: req.headers,
          // Browsers send a UTF-8 file name as raw bytes in `filename="…"`.
          defParamCharset: 'utf8',
          limits: { files: 1, fileSize: this.maxBytes + 1, fields: 10, fieldSize: 1024, parts: 11 },
        });
      } catch {
        reject(fileRequired('must be a multipart/form-data body with a boundary'));
        return;
      }
      let settled = false;
      let received: Promise<StoredFile> | null = null;
      // On any failure the parser stops (which fails a file still streaming, and so its store write),
      // and the answer waits until the store's write has ended: the caller then deletes what it wrote,
      // never before a write still in progress could finish.
      const fail = (error: unknown) => {
        if (settled) {
          return;
        }
        settled = true;
        parser.destroy();
        const writing = received ?? Promise.resolve();
        writing.then(
          () => reject(error),
          () => reject(error),
        );
      };
      parser.on('file', (field, stream, info) => {
        if (field !== FILE_FIELD || received !== null) {
          stream.resume();
          return;
        }
        received = this.storeFile(stream, info.filename, key);
        received.catch(fail);
      });
      parser.on('filesLimit', () => fail(fileRequired('must hold exactly one file')));
      parser.on('error', () => fail(fileRequired('is not a well-formed multipart/form-data body')));
      parser.on('close', () => {
        if (received === null) {
          fail(fileRequired('is required'));
          return;
        }
        received.then((file) => {
          if (!settled) {
            settled = true;
            resolve(file);
          }
        }, fail);
      });
      // A client that goes away mid-body ends nothing by itself (pipe does not pass errors on): the
      // parser is destroyed, which fails the file stream, which aborts the store's write.
      const abandon = () => {
        if (!req.complete) {
          parser.destroy(new Error('the client went away'));
          fail(fileRequired('upload was interrupted'));
        }
      };
      req.once('aborted', abandon);
      req.once('close', abandon);
      req.pipe(parser);
    });
  }

  /** Meters the part's bytes, sniffs its type from the first ones, then streams it all to the store. */
  private async storeFile(part: Readable, fileName: string | undefined, key: string): Promise<StoredFile> {
    const meter = new ByteMeter(this.maxBytes);
    part.on('error', (error) => meter.destroy(error));
    part.pipe(meter);
    const chunks = meter[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const head: Buffer[] = [];
    let headBytes = 0;
    let ended = false;
    try {
      while (headBytes < SNIFF_BYTES) {
        const next = await chunks.next();
        if (next.done) {
          ended = true;
          break;
        }
        head.push(next.value);
        headBytes += next.value.length;
      }
    } catch (error) {
      part.resume();
      throw error;
    }
    const first = Buffer.concat(head);
    const contentType = await sniffMediaType(first.subarray(0, SNIFF_BYTES));
    if (!this.types.accepts(contentType)) {
      meter.destroy();
      part.resume();
      throw new DomainError(ErrorCode.AttachmentTypeRefused, { contentType });
    }
    async function* all(): AsyncGenerator<Buffer> {
      yield first;
      if (!ended) {
        for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
          yield next.value;
        }
      }
    }
    const body = Readable.from(all(), { objectMode: false });
    try {
      await this.store.put(key, body, contentType);
    } catch (error) {
      part.resume();
      throw error;
    }
    return { name: sanitizeFileName(fileName), size: meter.size, sha256: meter.digest(), contentType };
  }

  /**
   * Streams an attachment the case service allowed: `ETag` (the SHA-256) and `If-None-Match`, one
   * `Range` (several are answered with the whole file), `Content-Disposition: attachment` with the
   * name in RFC 5987 form, and `nosniff`, so a browser saves the file and never renders it.
   */
  download(req: GatewayRequest, res: Response, number: string, id: string): Promise<void> {
    return this.downloadFrom(req, res, number, () =>
      this.rpc.send('case-management.attachment.open', { number, id }),
    );
  }

  /**
   * Streams the file `open` allows (the owning service authorises and records the download);
   * `label` names it in logs.
   */
  async downloadFrom(
    req: GatewayRequest,
    res: Response,
    label: string,
    open: () => Promise<AttachmentDownload>,
  ): Promise<void> {
    const file = await open();
    const id = file.id;
    const number = label;
    const etag = `"${file.sha256}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (matchesEtag(req.headers['if-none-match'], etag)) {
      res.status(304).end();
      return;
    }
    let range: { start: number; end: number } | undefined;
    const header = req.headers.range;
    if (header !== undefined && (req.headers['if-range'] === undefined || req.headers['if-range'] === etag)) {
      const parsed = rangeParser(file.size, header, { combine: true });
      if (parsed === -1) {
        res.setHeader('Content-Range', `bytes */${file.size}`);
        throw new DomainError(ErrorCode.RangeNotSatisfiable, { size: file.size });
      }
      if (parsed !== -2 && parsed.type === 'bytes' && parsed.length === 1) {
        range = { start: parsed[0].start, end: parsed[0].end };
      }
    }
    let source: Readable;
    try {
      source = await this.store.open(file.key, range);
    } catch (error) {
      if (error instanceof ObjectNotFound) {
        this.logger.error({ number, id }, 'attachment record without bytes');
      }
      throw error;
    }
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', contentDisposition(file.name, { type: 'attachment' }));
    if (range) {
      res.status(206);
      res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
      res.setHeader('Content-Length', String(range.end - range.start + 1));
    } else {
      res.status(200);
      res.setHeader('Content-Length', String(file.size));
    }
    if (req.method === 'HEAD') {
      source.destroy();
      res.end();
      return;
    }
    try {
      await pipeline(source, res);
    } catch (error) {
      // Headers are gone: a broken stream can only end the connection, so the client sees a short body.
      this.logger.warn({ number, id, err: describe(error) }, 'attachment download interrupted');
      res.destroy();
    }
  }
}

function fileRequired(message: string): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, { fields: { file: [`file ${message}`] } });
}

/** `If-None-Match`: `*` or a list of tags, weak ones compared by their opaque part (RFC 9110 §13.1.2). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) {
    return false;
  }
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
