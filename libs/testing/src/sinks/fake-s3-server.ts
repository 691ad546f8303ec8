import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** One S3 call as the fake received it. */
export interface S3Call {
  operation:
    | 'PutObject'
    | 'CreateMultipartUpload'
    | 'UploadPart'
    | 'CompleteMultipartUpload'
    | 'AbortMultipartUpload'
    | 'GetObject'
    | 'HeadObject'
    | 'DeleteObject';
  key: string;
  range?: string;
}

interface StoredObject {
  file: string;
  size: number;
  etag: string;
  contentType: string;
  lastModified: Date;
}

interface PendingUpload {
  key: string;
  contentType: string;
  parts: Map<number, { file: string; size: number; etag: string }>;
}

/**
 * A real HTTP server on 127.0.0.1 speaking the S3 REST protocol (path-style addressing) for the calls
 * Mamori's S3 attachment store makes: PutObject, the multipart upload calls (Create, UploadPart,
 * Complete, Abort), GetObject with a Range, HeadObject and DeleteObject — the stand-in for an
 * S3-compatible object store in tests. Bytes are kept in files under a temporary directory, so large
 * uploads cost no memory; requests must carry a SigV4 Authorization naming the configured access key
 * (signatures themselves are not recomputed). Every call is recorded.
 */
export class FakeS3Server {
  readonly calls: S3Call[] = [];
  private server?: Server;
  private dir = '';
  private readonly objects = new Map<string, StoredObject>();
  private readonly uploads = new Map<string, PendingUpload>();

  constructor(
    readonly bucket = `mamori-test-${randomUUID().slice(0, 8)}`,
    readonly accessKeyId = 'FAKEACCESSKEY',
    readonly secretAccessKey = 'fake-secret-access-key-for-tests',
  ) {}

  async start(): Promise<{ endpoint: string }> {
    this.dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mamori-fake-s3-'));
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) {
          xmlError(res, 500, 'InternalError', error instanceof Error ? error.message : String(error));
        } else {
          res.destroy();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
    await fs.rm(this.dir, { recursive: true, force: true });
  }

  /** Keys of the objects stored now. */
  keys(): string[] {
    return [...this.objects.keys()];
  }

  /** Multipart uploads begun and neither completed nor aborted. */
  pendingUploads(): number {
    return this.uploads.size;
  }

  /** The SHA-256 (hex) of the object under `key`, or null. */
  async sha256Of(key: string): Promise<string | null> {
    const object = this.objects.get(key);
    if (!object) {
      return null;
    }
    const hash = createHash('sha256');
    await pipeline(createReadStream(object.file), hash);
    return hash.digest('hex');
  }

  operations(): S3Call['operation'][] {
    return this.calls.map((c) => c.operation);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://s3.local');
    const credential = /^AWS4-HMAC-SHA256 Credential=([^/]+)\//.exec(req.headers.authorization ?? '');
    if (!credential || credential[1] !== this.accessKeyId) {
      req.resume();
      xmlError(
        res,
        403,
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
      );
      return;
    }
    if ((req.headers['content-encoding'] ?? '').includes('aws-chunked')) {
      req.resume();
      xmlError(res, 501, 'NotImplemented', 'aws-chunked bodies are not supported by this fake');
      return;
    }
    const [, bucket, ...rest] = url.pathname.split('/');
    const key = rest.map(decodeURIComponent).join('/');
    if (bucket !== this.bucket) {
      req.resume();
      xmlError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');
      return;
    }
    const q = url.searchParams;
    const method = req.method ?? 'GET';
    if (method === 'POST' && q.has('uploads')) {
      return this.createMultipart(req, res, key);
    }
    if (method === 'PUT' && q.has('uploadId') && q.has('partNumber')) {
      return this.uploadPart(req, res, key, q.get('uploadId')!, Number(q.get('partNumber')));
    }
    if (method === 'POST' && q.has('uploadId')) {
      return this.completeMultipart(req, res, key, q.get('uploadId')!);
    }
    if (method === 'DELETE' && q.has('uploadId')) {
      return this.abortMultipart(req, res, key, q.get('uploadId')!);
    }
    if (method === 'PUT') {
      return this.putObject(req, res, key);
    }
    if (method === 'GET' || method === 'HEAD') {
      return this.getObject(req, res, key, method === 'HEAD');
    }
    if (method === 'DELETE') {
      this.calls.push({ operation: 'DeleteObject', key });
      req.resume();
      const object = this.objects.get(key);
      this.objects.delete(key);
      if (object) {
        await fs.rm(object.file, { force: true });
      }
      res.writeHead(204).end();
      return;
    }
    req.resume();
    xmlError(res, 501, 'NotImplemented', `${method} is not supported by this fake`);
  }

  private async putObject(req: IncomingMessage, res: ServerResponse, key: string): Promise<void> {
    this.calls.push({ operation: 'PutObject', key });
    const { file, size, etag } = await this.receive(req);
    await this.replace(key, { file, size, etag, contentType: contentTypeOf(req), lastModified: new Date() });
    res.writeHead(200, { ETag: etag }).end();
  }

  private async createMultipart(req: IncomingMessage, res: ServerResponse, key: string): Promise<void> {
    this.calls.push({ operation: 'CreateMultipartUpload', key });
    req.resume();
    const uploadId = randomUUID();
    this.uploads.set(uploadId, { key, contentType: contentTypeOf(req), parts: new Map() });
    xml(
      res,
      200,
      `<InitiateMultipartUploadResult><Bucket>${this.bucket}</Bucket><Key>${escapeXml(key)}</Key>` +
        `<UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
    );
  }

  private async uploadPart(
    req: IncomingMessage,
    res: ServerResponse,
    key: string,
    uploadId: string,
    partNumber: number,
  ): Promise<void> {
    this.calls.push({ operation: 'UploadPart', key });
    const upload = this.uploads.get(uploadId);
    if (
      !upload ||
      upload.key !== key ||
      !Number.isInteger(partNumber) ||
      partNumber < 1 ||
      partNumber > 10_000
    ) {
      req.resume();
      xmlError(res, 404, 'NoSuchUpload', 'The specified upload does not exist.');
      return;
    }
    const part = await this.receive(req);
    const previous = upload.parts.get(partNumber);
    upload.parts.set(partNumber, part);
    if (previous) {
      await fs.rm(previous.file, { force: true });
    }
    // An upload aborted while this part was arriving keeps nothing.
    if (!this.uploads.has(uploadId)) {
      await fs.rm(part.file, { force: true });
    }
    res.writeHead(200, { ETag: part.etag }).end();
  }

  private async completeMultipart(
    req: IncomingMessage,
    res: ServerResponse,
    key: string,
    uploadId: string,
  ): Promise<void> {
    this.calls.push({ operation: 'CompleteMultipartUpload', key });
    const body = await readText(req);
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.key !== key) {
      xmlError(res, 404, 'NoSuchUpload', 'The specified upload does not exist.');
      return;
    }
    const listed = [...body.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
      number: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1])?.[1]),
      etag: /<ETag>([^<]*)<\/ETag>/.exec(m[1])?.[1]?.replace(/&quot;/g, '"'),
    }));
    if (listed.length === 0 || listed.some((p, i) => i > 0 && p.number <= listed[i - 1].number)) {
      xmlError(res, 400, 'InvalidPartOrder', 'The list of parts was not in ascending order.');
      return;
    }
    for (const p of listed) {
      if (upload.parts.get(p.number)?.etag !== p.etag) {
        xmlError(res, 400, 'InvalidPart', 'One or more of the specified parts could not be found.');
        return;
      }
    }
    const file = path.join(this.dir, randomUUID());
    const out = createWriteStream(file);
    let size = 0;
    for (const p of listed) {
      const part = upload.parts.get(p.number)!;
      size += part.size;
      await pipeline(createReadStream(part.file), out, { end: false });
    }
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    this.uploads.delete(uploadId);
    for (const part of upload.parts.values()) {
      await fs.rm(part.file, { force: true });
    }
    const etag = `"${createHash('md5')
      .update(listed.map((p) => p.etag).join(''))
      .digest('hex')}-${listed.length}"`;
    await this.replace(key, { file, size, etag, contentType: upload.contentType, lastModified: new Date() });
    xml(
      res,
      200,
      `<CompleteMultipartUploadResult><Location>/${this.bucket}/${escapeXml(key)}</Location>` +
        `<Bucket>${this.bucket}</Bucket><Key>${escapeXml(key)}</Key><ETag>${escapeXml(etag)}</ETag>` +
        `</CompleteMultipartUploadResult>`,
    );
  }

  private async abortMultipart(
    req: IncomingMessage,
    res: ServerResponse,
    key: string,
    uploadId: string,
  ): Promise<void> {
    this.calls.push({ operation: 'AbortMultipartUpload', key });
    req.resume();
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.key !== key) {
      xmlError(res, 404, 'NoSuchUpload', 'The specified upload does not exist.');
      return;
    }
    this.uploads.delete(uploadId);
    for (const part of upload.parts.values()) {
      await fs.rm(part.file, { force: true });
    }
    res.writeHead(204).end();
  }

  private async getObject(
    req: IncomingMessage,
    res: ServerResponse,
    key: string,
    head: boolean,
  ): Promise<void> {
    const range = req.headers.range;
    this.calls.push({ operation: head ? 'HeadObject' : 'GetObject', key, ...(range ? { range } : {}) });
    req.resume();
    const object = this.objects.get(key);
    if (!object) {
      if (head) {
        res.writeHead(404).end();
      } else {
        xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
      }
      return;
    }
    const headers: Record<string, string> = {
      ETag: object.etag,
      'Content-Type': object.contentType,
      'Last-Modified': object.lastModified.toUTCString(),
      'Accept-Ranges': 'bytes',
    };
    let start = 0;
    let end = object.size - 1;
    let status = 200;
    if (range && !head) {
      const m = /^bytes=(\d*)-(\d*)$/.exec(range);
      if (m && (m[1] !== '' || m[2] !== '')) {
        if (m[1] === '') {
          start = Math.max(0, object.size - Number(m[2]));
        } else {
          start = Number(m[1]);
          end = m[2] === '' ? object.size - 1 : Math.min(Number(m[2]), object.size - 1);
        }
        if (start >= object.size || start > end) {
          xmlError(res, 416, 'InvalidRange', 'The requested range is not satisfiable');
          return;
        }
        status = 206;
        headers['Content-Range'] = `bytes ${start}-${end}/${object.size}`;
      }
    }
    headers['Content-Length'] = String(object.size === 0 ? 0 : end - start + 1);
    res.writeHead(status, headers);
    if (head || object.size === 0) {
      res.end();
      return;
    }
    await pipeline(createReadStream(object.file, { start, end }), res);
  }

  /** The request body into a file of its own, with its size and MD5 ETag (as S3 makes for one part). */
  private async receive(req: IncomingMessage): Promise<{ file: string; size: number; etag: string }> {
    const file = path.join(this.dir, randomUUID());
    const md5 = createHash('md5');
    let size = 0;
    const meter = new PassThrough();
    meter.on('data', (chunk: Buffer) => {
      size += chunk.length;
      md5.update(chunk);
    });
    try {
      await pipeline(req, meter, createWriteStream(file));
    } catch (error) {
      await fs.rm(file, { force: true });
      throw error;
    }
    return { file, size, etag: `"${md5.digest('hex')}"` };
  }

  private async replace(key: string, object: StoredObject): Promise<void> {
    const previous = this.objects.get(key);
    this.objects.set(key, object);
    if (previous) {
      await fs.rm(previous.file, { force: true });
    }
  }
}

function contentTypeOf(req: IncomingMessage): string {
  return req.headers['content-type'] ?? 'binary/octet-stream';
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function xml(res: ServerResponse, status: number, body: string): void {
  res
    .writeHead(status, { 'Content-Type': 'application/xml' })
    .end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
}

function xmlError(res: ServerResponse, status: number, code: string, message: string): void {
  xml(res, status, `<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>`);
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
