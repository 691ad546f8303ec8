import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { waitFor } from '../platform/wait-for';

/** One SMS as the webhook adapter posts it (API.md "Running"). */
export interface SinkSms {
  messageId: string;
  to: string;
  body: string;
  receivedAt: Date;
}

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A real HTTP server on 127.0.0.1 (random port) standing in for an SMS provider's webhook in tests:
 * point SMS_WEBHOOK_URL at `start().url`. It can answer 500 to the next N requests, to test retries.
 */
export class WebhookSink {
  private server?: Server;
  private accepted: SinkSms[] = [];
  private requestCount = 0;
  private failuresLeft = 0;

  async start(): Promise<{ url: string }> {
    const server = createServer((req, res) => {
      readBody(req)
        .then((raw) => {
          this.requestCount += 1;
          if (req.method !== 'POST') {
            res.writeHead(405).end();
            return;
          }
          if (this.failuresLeft > 0) {
            this.failuresLeft -= 1;
            res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"test sink failure"}');
            return;
          }
          const payload = JSON.parse(raw) as Partial<SinkSms>;
          if (
            typeof payload.messageId !== 'string' ||
            typeof payload.to !== 'string' ||
            typeof payload.body !== 'string'
          ) {
            res.writeHead(400).end();
            return;
          }
          this.accepted.push({
            messageId: payload.messageId,
            to: payload.to,
            body: payload.body,
            receivedAt: new Date(),
          });
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"accepted"}');
        })
        .catch(() => res.writeHead(400).end());
    });
    // Test servers must not keep idle keep-alive sockets that delay stop().
    server.keepAliveTimeout = 1000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/sms` };
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** Messages answered 200, in arrival order. */
  messages(): SinkSms[] {
    return [...this.accepted];
  }

  /** Every request received, failed ones included. */
  requests(): number {
    return this.requestCount;
  }

  waitFor(predicate: (sms: SinkSms) => boolean, timeoutMs = 10_000): Promise<SinkSms> {
    return waitFor(() => this.accepted.find(predicate), {
      timeoutMs,
      intervalMs: 20,
      description: 'a matching SMS at the webhook sink',
    });
  }

  /** Answers 500 to the next `count` requests. */
  failNext(count: number): void {
    this.failuresLeft = count;
  }

  clear(): void {
    this.accepted = [];
    this.requestCount = 0;
    this.failuresLeft = 0;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
