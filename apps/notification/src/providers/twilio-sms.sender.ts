import { DeliveryError } from './delivery.error';
import { OutgoingMessage, ProviderReceipt } from './outgoing-message';
import { SmsSender } from './sms-sender';
import { twilioCallbackUrl, TwilioSettings } from './twilio-settings';

const REQUEST_TIMEOUT_MS = 15_000;
/** Twilio's answer is a small JSON object; anything longer is not read (and not trusted). */
const MAX_RESPONSE_BYTES = 64 * 1024;
/** A message's sid: `SM` (or `MM` for MMS) and 32 hex digits. */
const SID = /^(SM|MM)[0-9a-f]{32}$/i;

/**
 * SMS through Twilio's Programmable Messaging API (NOTIF-2): one form-encoded
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` per number, HTTP basic auth with the
 * account SID and auth token, a `StatusCallback` that brings the delivery receipt (NOTIF-5) to the
 * gateway. The answer's `sid` is kept as the provider's message id.
 *
 * Errors: Twilio answers a refused message with `400` and an error `code` (21211 invalid number,
 * 21610 the recipient replied STOP, 21614 not a mobile number, …): retrying the same request cannot
 * help, so it is permanent (`twilio_<code>`). Throttling (429), its own trouble (5xx) and a wrong
 * account or token (401/403/404, fixed by an operator while a code is still valid) are retried.
 */
export class TwilioSmsSender extends SmsSender {
  readonly provider = 'twilio';
  private readonly endpoint: string;
  private readonly authorization: string;

  constructor(private readonly settings: TwilioSettings) {
    super();
    this.endpoint = `${settings.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/Messages.json`;
    this.authorization = `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64')}`;
  }

  async send(message: OutgoingMessage): Promise<ProviderReceipt> {
    let first: string | undefined;
    for (const to of message.to) {
      const sid = await this.post(message.messageId, to, message.text);
      first ??= sid;
    }
    return first ? { providerMessageId: first } : {};
  }

  private async post(messageId: string, to: string, body: string): Promise<string | undefined> {
    const form = new URLSearchParams({ To: to, Body: body });
    if (this.settings.messagingServiceSid) {
      form.set('MessagingServiceSid', this.settings.messagingServiceSid);
    } else {
      form.set('From', this.settings.from!);
    }
    form.set('StatusCallback', twilioCallbackUrl(this.settings, messageId));
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: {
          authorization: this.authorization,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
        // A redirect would hand the code, the number and the account's password to another address.
        redirect: 'manual',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw new DeliveryError(timedOut ? 'twilio_timeout' : 'twilio_unreachable', false, true);
    }
    const answer = await readJson(response);
    if (response.status >= 300 && response.status < 400) {
      throw new DeliveryError('twilio_redirect', false);
    }
    if (!response.ok) {
      const code = typeof answer?.code === 'number' && Number.isInteger(answer.code) ? answer.code : null;
      const reason = code !== null ? `twilio_${code}` : `twilio_status_${response.status}`;
      throw new DeliveryError(reason, response.status === 400);
    }
    const sid = typeof answer?.sid === 'string' && SID.test(answer.sid) ? answer.sid : undefined;
    return sid;
  }
}

/** The answer's JSON object, or null when it is not one (or too long to be Twilio's). */
async function readJson(response: Response): Promise<Record<string, unknown> | null> {
  const reader = response.body?.getReader();
  if (!reader) {
    return null;
  }
  const chunks: Uint8Array[] = [];
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      read += value.byteLength;
      if (read > MAX_RESPONSE_BYTES) {
        await reader.cancel();
        return null;
      }
      chunks.push(value);
    }
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
