import { OnApplicationShutdown } from '@nestjs/common';
import http from 'node:http';
import https from 'node:https';
import { DeliveryError } from './delivery.error';
import { OutgoingMessage } from './outgoing-message';
import { SmsSender } from './sms-sender';

const REQUEST_TIMEOUT_MS = 15_000;
/** The answer is only acknowledged, never used: at most this much of it is read. */
export const MAX_RESPONSE_BYTES = 64 * 1024;
/**
 * An idle kept-alive connection is closed after this long, before a server's own idle time-out
 * (commonly 5 s) can close it under a request just written to it. A server that states its time-out
 * (`Keep-Alive: timeout=…`) shortens it further (Node's agent reads the hint).
 */
export const IDLE_CONNECTION_MS = 4_000;

export interface WebhookOptions {
  /** Value of the `Authorization` header (SMS_WEBHOOK_AUTH_HEADER). */
  authHeader?: string;
  /** How long one request may take, connection included (a test shortens it). */
  timeoutMs?: number;
}

/**
 * SMS through a generic HTTPS webhook (NOTIF-2, API.md "Running"): one JSON POST
 * `{"messageId","to","body"}` per number. Any non-2xx answer or network failure is retried; the
 * receiver can use `messageId` to drop a repeat.
 *
 * Node's own HTTP client over kept-alive connections, not `fetch`: a security code's send is on the
 * path the user waits on, and `fetch` cost about four times the time and CPU of a plain request per
 * call (bench/notification.mjs).
 */
export class WebhookSmsSender extends SmsSender implements OnApplicationShutdown {
  readonly provider = 'webhook';
  private readonly target: URL;
  private readonly agent: http.Agent;

  constructor(
    url: string,
    private readonly options: WebhookOptions = {},
  ) {
    super();
    this.target = new URL(url);
    const agentOptions = { keepAlive: true, timeout: IDLE_CONNECTION_MS };
    this.agent =
      this.target.protocol === 'https:' ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  }

  async send(message: OutgoingMessage): Promise<void> {
    for (const to of message.to) {
      await this.post({ messageId: message.messageId, to, body: message.text });
    }
  }

  onApplicationShutdown(): void {
    this.agent.destroy();
  }

  private post(payload: { messageId: string; to: string; body: string }): Promise<void> {
    const body = Buffer.from(JSON.stringify(payload));
    const client = this.target.protocol === 'https:' ? https : http;
    return new Promise<void>((resolve, reject) => {
      let answered = false;
      // Node's client never follows a redirect: a 307/308 would re-send the code and number elsewhere.
      const request = client.request(
        this.target,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            'content-length': body.length,
            ...(this.options.authHeader ? { authorization: this.options.authHeader } : {}),
          },
        },
        (response) => {
          answered = true;
          const status = response.statusCode ?? 0;
          const settle = (): void => {
            clearTimeout(timer);
            if (status >= 300 && status < 400) {
              reject(new DeliveryError('webhook_redirect', false));
            } else if (status < 200 || status >= 300) {
              reject(new DeliveryError(`webhook_status_${status}`, false));
            } else {
              resolve();
            }
          };
          // Read to the end (so the connection is reused), but at most MAX_RESPONSE_BYTES of it; a
          // broken answer body changes nothing about the status already received.
          let read = 0;
          response.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_RESPONSE_BYTES) {
              response.destroy();
              settle();
            }
          });
          response.on('end', settle);
          response.on('error', settle);
          response.on('close', settle);
        },
      );
      const timer = setTimeout(() => {
        request.destroy(new DeliveryError('webhook_timeout', false, true));
      }, this.options.timeoutMs ?? REQUEST_TIMEOUT_MS);
      request.on('error', (error) => {
        clearTimeout(timer);
        if (answered) {
          // The status is in; what became of the rest of the answer does not matter.
          return;
        }
        reject(
          error instanceof DeliveryError ? error : new DeliveryError('webhook_unreachable', false, true),
        );
      });
      request.end(body);
    });
  }
}
