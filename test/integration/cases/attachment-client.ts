import { createHash, randomBytes, randomFillSync } from 'node:crypto';
import { request } from 'node:http';

export interface UploadAnswer {
  status: number;
  body: any;
  headers: Record<string, string | string[] | undefined>;
}

export interface UploadOptions {
  token: string;
  /** The file's name as the multipart part names it (raw UTF-8, as browsers send it). */
  fileName?: string;
  /** Send `Content-Length` (else the body goes chunked, its size unknown to the gateway upfront). */
  contentLength?: boolean;
  field?: string;
  /** POST unless told (a document article's file is PUT). */
  method?: 'POST' | 'PUT';
}

/**
 * Uploads `content` as the multipart part `file` over a plain HTTP/1.1 connection, streaming the body
 * as generated. The answer is taken as soon as it comes, even while the body is still being sent (a
 * 413 arrives mid-stream), and a connection the gateway ends after answering is no error.
 */
export function uploadFile(
  baseUrl: string,
  path: string,
  content: Buffer | AsyncIterable<Buffer>,
  options: UploadOptions,
): Promise<UploadAnswer> {
  const boundary = `----mamori${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${options.field ?? 'file'}"; filename="${
      options.fileName ?? 'file.bin'
    }"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    'utf8',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const url = new URL(`/api/v1${path}`, baseUrl);
  const headers: Record<string, string> = {
    authorization: `Bearer ${options.token}`,
    'content-type': `multipart/form-data; boundary=${boundary}`,
    'accept-language': 'en',
  };
  if (options.contentLength && Buffer.isBuffer(content)) {
    headers['content-length'] = String(head.length + content.length + tail.length);
  }
  return new Promise((resolve, reject) => {
    let answered = false;
    // A connection of its own: an idle kept-alive one from an earlier upload may be closed by the
    // server (its keep-alive timeout) just as this POST starts on it, and a POST is not retried.
    const req = request(url, { method: options.method ?? 'POST', headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          body: (res.headers['content-type'] ?? '').includes('json') && text ? JSON.parse(text) : text,
          headers: res.headers,
        });
      });
    });
    req.on('error', (error) => {
      if (!answered) {
        reject(error);
      }
    });
    const send = async () => {
      const write = (chunk: Buffer) =>
        new Promise<void>((done) => {
          if (req.destroyed || answered) {
            done();
            return;
          }
          if (req.write(chunk)) {
            done();
            return;
          }
          const resume = () => {
            req.off('drain', resume);
            req.off('close', resume);
            done();
          };
          req.on('drain', resume);
          req.on('close', resume);
        });
      await write(head);
      if (Buffer.isBuffer(content)) {
        await write(content);
      } else {
        for await (const chunk of content) {
          if (req.destroyed || answered) {
            break;
          }
          await write(chunk);
        }
      }
      await write(tail);
      req.end();
    };
    send().catch((error: unknown) => {
      if (!answered) {
        reject(error);
      }
    });
  });
}

/** `total` random bytes in 1 MiB chunks, made as they are read, and their SHA-256 once all are read. */
export function generatedBytes(total: number): {
  chunks: AsyncIterable<Buffer>;
  sha256: () => string;
} {
  const hash = createHash('sha256');
  let digest: string | null = null;
  async function* chunks(): AsyncGenerator<Buffer> {
    const block = 1024 * 1024;
    for (let sent = 0; sent < total; sent += block) {
      // A fresh buffer each time: nothing of what was sent is kept.
      const piece = randomFillSync(Buffer.allocUnsafe(Math.min(block, total - sent)));
      hash.update(piece);
      yield piece;
    }
    digest = hash.digest('hex');
  }
  return {
    chunks: chunks(),
    sha256: () => {
      if (digest === null) {
        throw new Error('not all bytes were read');
      }
      return digest;
    },
  };
}

export interface Download {
  status: number;
  bytes: Buffer;
  headers: Headers;
}

export async function download(
  baseUrl: string,
  path: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<Download> {
  const res = await fetch(`${baseUrl}/api/v1${path}`, {
    headers: { authorization: `Bearer ${token}`, 'accept-language': 'en', ...headers },
  });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
