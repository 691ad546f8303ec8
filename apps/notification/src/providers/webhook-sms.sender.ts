import { DeliveryError } from './delivery.error';
import { OutgoingMessage } from './outgoing-message';
import { SmsSender } from './sms-sender';

const REQUEST_TIMEOUT_MS = 15_000;

/**
 * SMS through a generic HTTPS webhook (NOTIF-2, API.md "Running"): one JSON POST
 * `{"messageId","to","body"}` per number. Any non-2xx answer or network failure is retried; the
 * receiver can use `messageId` to drop a repeat.
 */
export class WebhookSmsSender extends SmsSender {
  readonly provider = 'webhook';

  constructor(private readonly url: string) {
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
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw new DeliveryError(timedOut ? 'webhook_timeout' : 'webhook_unreachable', false);
    }
    // Drain the body so the connection is reused.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) {
      throw new DeliveryError(`webhook_status_${response.status}`, false);
    }
  }
}
