import { createHmac, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { waitFor } from '../platform/wait-for';

/** One SMS as Twilio's Messages API took it. */
export interface TwilioSms {
  sid: string;
  to: string;
  /** `From`, or the `MessagingServiceSid` when one was given instead. */
  from: string;
  body: string;
  statusCallback?: string;
  receivedAt: Date;
}

export type TwilioCallbackStatus = 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed';

const MAX_BODY_BYTES = 64 * 1024;

/**
 * A real HTTP server on 127.0.0.1 speaking Twilio Programmable Messaging as documented, for tests:
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded (`To`, `From` or
 * `MessagingServiceSid`, `Body`, `StatusCallback`), HTTP basic auth `AccountSid:AuthToken`; answers
 * `201` with `{sid, status: "queued", …}`, or Twilio's error JSON `{code, message, status}` (`401`
 * code 20003 for wrong credentials, `400` 21604/21602 for a missing `To`/`Body`, a chosen code for a
 * chosen number). `callback()` then posts a delivery receipt to the message's `StatusCallback`, signed
 * as Twilio signs it (`X-Twilio-Signature`) — or wrongly, to test the refusal.
 */
export class FakeTwilioServer {
  readonly accountSid = `AC${randomBytes(16).toString('hex')}`;
  readonly authToken = randomBytes(16).toString('hex');
  private server?: Server;
  private accepted: TwilioSms[] = [];
  private refusals = new Map<string, number>();
  private failuresLeft = 0;
  private requestCount = 0;
  /** Receipts posted automatically after each accepted message, in order. */
  autoCallbacks: TwilioCallbackStatus[] = [];
  /** Answers of the automatic receipts (HTTP status), in order. */
  readonly callbackAnswers: number[] = [];

  async start(): Promise<{ baseUrl: string }> {
    const server = createServer((req, res) => {
      readBody(req)
        .then((raw) => {
          this.requestCount += 1;
          const answer = this.handle(req, raw);
          res
            .writeHead(answer.status, { 'content-type': 'application/json' })
            .end(JSON.stringify(answer.body));
          const sms = answer.sms;
          if (sms && this.autoCallbacks.length > 0) {
            void this.postAll(sms, [...this.autoCallbacks]);
          }
        })
        .catch(() => res.writeHead(400).end());
    });
    server.keepAliveTimeout = 1000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return { baseUrl: `http://127.0.0.1:${port}` };
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  messages(): TwilioSms[] {
    return [...this.accepted];
  }

  requests(): number {
    return this.requestCount;
  }

  waitFor(predicate: (sms: TwilioSms) => boolean, timeoutMs = 10_000): Promise<TwilioSms> {
    return waitFor(() => this.accepted.find(predicate), {
      timeoutMs,
      intervalMs: 20,
      description: 'a matching SMS at the fake Twilio server',
    });
  }

  /** Refuses messages to `to` with `400` and Twilio error `code` (e.g. 21211 invalid number). */
  refuse(to: string, code: number): void {
    this.refusals.set(to, code);
  }

  /** Answers `500` (Twilio error 20500) to the next `count` requests. */
  failNext(count: number): void {
    this.failuresLeft = count;
  }

  /**
   * Posts a delivery receipt for `sid` to its StatusCallback as Twilio does. `signWith`: another key
   * than the auth token (a forged receipt); `url`: post elsewhere, `signedUrl`: the URL the signature
   * covers (default: the one posted to). Resolves with the HTTP status of the answer.
   */
  async callback(
    sid: string,
    status: TwilioCallbackStatus,
    options: { errorCode?: string; signWith?: string; url?: string; signedUrl?: string } = {},
  ): Promise<number> {
    const sms = this.accepted.find((m) => m.sid === sid);
    const url = options.url ?? sms?.statusCallback;
    if (!sms || !url) {
      throw new Error(`no message ${sid} with a StatusCallback`);
    }
    const params: Record<string, string> = {
      AccountSid: this.accountSid,
      ApiVersion: '2010-04-01',
      From: sms.from,
      MessageSid: sid,
      MessageStatus: status,
      SmsSid: sid,
      SmsStatus: status,
      To: sms.to,
      ...(options.errorCode ? { ErrorCode: options.errorCode } : {}),
    };
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature(options.signWith ?? this.authToken, options.signedUrl ?? url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    await response.arrayBuffer();
    return response.status;
  }

  clear(): void {
    this.accepted = [];
    this.refusals.clear();
    this.failuresLeft = 0;
    this.requestCount = 0;
    this.autoCallbacks = [];
  }

  private async postAll(sms: TwilioSms, statuses: TwilioCallbackStatus[]): Promise<void> {
    for (const status of statuses) {
      this.callbackAnswers.push(await this.callback(sms.sid, status).catch(() => 0));
    }
  }

  private handle(req: IncomingMessage, raw: string): { status: number; body: unknown; sms?: TwilioSms } {
    const path = `/2010-04-01/Accounts/${this.accountSid}/Messages.json`;
    if (req.method !== 'POST' || req.url !== path) {
      return { status: 404, body: twilioError(20404, 404, 'The requested resource was not found') };
    }
    const expected = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      return { status: 401, body: twilioError(20003, 401, 'Authenticate') };
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return { status: 400, body: twilioError(20001, 400, 'Unsupported content type') };
    }
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      return { status: 500, body: twilioError(20500, 500, 'Internal Server Error') };
    }
    const form = new URLSearchParams(raw);
    const to = form.get('To');
    const body = form.get('Body');
    const from = form.get('From') ?? form.get('MessagingServiceSid');
    if (!to) {
      return { status: 400, body: twilioError(21604, 400, "A 'To' phone number is required.") };
    }
    if (!body) {
      return { status: 400, body: twilioError(21602, 400, 'Message body is required.') };
    }
    if (!from) {
      return { status: 400, body: twilioError(21603, 400, "A 'From' phone number is required.") };
    }
    const refused = this.refusals.get(to);
    if (refused !== undefined) {
      return { status: 400, body: twilioError(refused, 400, 'Refused by the test') };
    }
    const sms: TwilioSms = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      to,
      from,
      body,
      statusCallback: form.get('StatusCallback') ?? undefined,
      receivedAt: new Date(),
    };
    this.accepted.push(sms);
    return {
      status: 201,
      body: {
        sid: sms.sid,
        account_sid: this.accountSid,
        to,
        from,
        body,
        status: 'queued',
        num_segments: '1',
        direction: 'outbound-api',
        api_version: '2010-04-01',
        date_created: new Date().toUTCString(),
        error_code: null,
        error_message: null,
        uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sms.sid}.json`,
      },
      sms,
    };
  }
}

/** Twilio's documented scheme: base64(HMAC-SHA1(token, URL + each param name+value sorted by name)). */
function signature(token: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, name) => acc + name + params[name], url);
  return createHmac('sha1', token).update(data, 'utf8').digest('base64');
}

function twilioError(code: number, status: number, message: string): Record<string, unknown> {
  return { code, message, more_info: `errors/${code}`, status };
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
