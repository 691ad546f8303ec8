import { DeliveryError } from './delivery.error';
import { OutgoingMessage } from './outgoing-message';
import { SmsSender } from './sms-sender';

const REQUEST_TIMEOUT_MS = 15_000;
/** The answer is only acknowledged, never used: at most this much of it is read. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

export interface WebhookOptions {
  /** Value of the `Authorization` header (SMS_WEBHOOK_AUTH_HEADER). */
  authHeader?: string;
}

/**
 * SMS through a generic HTTPS webhook (NOTIF-2, API.md "Running"): one JSON POST
 * `{"messageId","to","body"}` per number. Any non-2xx answer or network failure is retried; the
 * receiver can use `messageId` to drop a repeat.
 */
export class WebhookSmsSender extends SmsSender {
  readonly provider = 'webhook';

  constructor(
    private readonly url: string,
    private readonly options: WebhookOptions = {},
  ) {
    super();
  }

  async send(message: OutgoingMessage): Promise<void> {
    for (const to of message.to) {
      await this.post({ messageId: message.messageId, to, body: message.text });
    }
  }

  private async post(payload: { messageId: string; to: string; body: string }): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.options.authHeader ? { authorization: this.options.authHeader } : {}),
        },
        body: JSON.stringify(payload),
        // A redirect (307/308 re-send the body) would hand the code and number to another address.
        redirect: 'manual',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw new DeliveryError(timedOut ? 'webhook_timeout' : 'webhook_unreachable', false, true);
    }
    await drainBounded(response);
    if (response.status >= 300 && response.status < 400) {
      throw new DeliveryError('webhook_redirect', false);
    }
    if (!response.ok) {
      throw new DeliveryError(`webhook_status_${response.status}`, false);
    }
  }
}

/** Reads at most MAX_RESPONSE_BYTES of the answer (so the connection may be reused), then lets go. */
async function drainBounded(response: Response): Promise<void> {
  const reader = response.body?.getReader();
  if (!reader) {
    return;
  }
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        return;
      }
      read += value.byteLength;
      if (read > MAX_RESPONSE_BYTES) {
        await reader.cancel();
        return;
      }
    }
  } catch {
    // A broken answer body changes nothing about the status already received.
  }
}
