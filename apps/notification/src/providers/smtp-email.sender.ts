import { OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import { affectsAddress, classifySmtpReply } from '../bounces/bounce-classifier';
import { verpAddress } from '../bounces/verp';
import { DeliveryError, SendReport, SendTimeBounce } from './delivery.error';
import { EmailSender } from './email-sender';
import { OutgoingMessage } from './outgoing-message';
import { WholeMessage } from './whole-message.stream';

/** Pooled connections per transport (codes and notices; bulk has as many of its own): SMTP_POOL_CONNECTIONS. */
export const DEFAULT_POOL_CONNECTIONS = 5;
/** nodemailer's codes for a server that could not be reached or dropped the connection. */
const UNREACHABLE_CODES = new Set(['econnection', 'esocket', 'etimedout', 'edns']);

/** DKIM signing of every message (DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY), done by nodemailer. */
export interface DkimSettings {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

/** E-mail over SMTP with nodemailer to SMTP_URL, from MAIL_FROM (NOTIF-2). */
export class SmtpEmailSender extends EmailSender implements OnApplicationShutdown {
  readonly provider = 'smtp';
  private readonly transport: Transporter;
  /**
   * Bulk mail has pooled connections of its own: within its rate limit it would otherwise hold the
   * connections a code is waiting for (NOTIF-1).
   */
  private readonly bulkTransport: Transporter;
  /** MAIL_FROM and the per-type senders: a handful for the life of the process. */
  private readonly senderAddresses = new Map<string, string>();

  /** `requireTls`: on an `smtp://` URL the server must offer STARTTLS, or the send fails (no clear text). */
  constructor(
    smtpUrl: string,
    private readonly from: string,
    requireTls = true,
    /** BOUNCE_ADDRESS: the envelope sender, VERP-style per message (NOTIF-6); unset: MAIL_FROM's. */
    private readonly bounceAddress?: string,
    dkim?: DkimSettings,
    poolConnections = DEFAULT_POOL_CONNECTIONS,
    /** SMTP_MAX_MESSAGES_PER_CONNECTION: 0, no limit. */
    maxMessagesPerConnection = 0,
  ) {
    super();
    // Bounded timeouts: a hung server must turn into a retry, not a job that holds its claim forever.
    const options = {
      url: smtpUrl,
      pool: true,
      maxConnections: poolConnections,
      // nodemailer closes a connection after 100 messages by default. Opening the next one (TCP, the
      // greeting, EHLO, STARTTLS) takes tens to hundreds of milliseconds, and the messages handed to
      // it wait that long: at 100 codes a second over five connections, a stall every second or so
      // (bench/notification.mjs). A connection the server closes is replaced as it is needed, and a
      // message that had not started on it goes out over another.
      maxMessages: maxMessagesPerConnection > 0 ? maxMessagesPerConnection : Infinity,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      // A man in the middle who strips STARTTLS from the server's answer must not get codes in clear.
      requireTLS: requireTls,
      ...(dkim ? { dkim } : {}),
    };
    this.transport = createTransport(options);
    this.bulkTransport = createTransport(options);
    for (const transport of [this.transport, this.bulkTransport]) {
      // Each message goes to the socket in one write (WholeMessage); DKIM, when set, signs after this.
      transport.use('stream', (mail, done) => {
        mail.message.processFunc((input) => WholeMessage.of(input));
        done();
      });
    }
  }

  async send(message: OutgoingMessage & { subject: string }): Promise<void | SendReport> {
    const from = message.from ?? this.from;
    try {
      const info = (await (message.bulk ? this.bulkTransport : this.transport).sendMail({
        // Stated rather than left to nodemailer, which would otherwise parse the From and To headers
        // again at several steps of each send (bench/notification.mjs, a CPU profile of the service).
        envelope: {
          from: this.bounceAddress
            ? verpAddress(this.bounceAddress, message.messageId)
            : this.senderAddress(from),
          to: message.to,
        },
        // Our own message id, at the sender's domain: unique per message (RFC 5322), the same on a
        // retry of it, and no random draw per message.
        messageId: `<${message.messageId}@${this.senderAddress(from).split('@').pop()}>`,
        from,
        to: message.to,
        subject: message.subject,
        // Both parts: multipart/alternative, the reader's client shows the one it prefers.
        text: message.text,
        ...(message.html !== undefined ? { html: message.html } : {}),
        // Lets a later bounce (a DSN quotes the original headers) be tied back to the message (NOTIF-6).
        headers: { 'X-Mamori-Message-Id': message.messageId },
      })) as { rejectedErrors?: unknown[] };
      // Some recipients refused at RCPT while others were taken: the message went out, those bounced.
      const refused = (info.rejectedErrors ?? [])
        .map(toBounce)
        .filter((b): b is SendTimeBounce => b !== null);
      return refused.length > 0 ? { refused } : undefined;
    } catch (error) {
      throw toDeliveryError(error);
    }
  }

  /** The bare address of a sender (`Name <a@b>` → `a@b`), parsed once per sender. */
  private senderAddress(from: string): string {
    let address = this.senderAddresses.get(from);
    if (address === undefined) {
      const parsed = addressparser(from, { flatten: true })[0];
      address = parsed?.address || from;
      this.senderAddresses.set(from, address);
    }
    return address;
  }

  onApplicationShutdown(): void {
    this.transport.close();
    this.bulkTransport.close();
  }
}

/**
 * Only nodemailer's code and the SMTP reply code are kept: the reply text often quotes the recipient.
 * A 5xx reply is permanent (RFC 5321), anything else (4xx, network, time-out) is worth a retry.
 */
function toDeliveryError(error: unknown): DeliveryError {
  const { code, responseCode, rejectedErrors } = (error ?? {}) as {
    code?: unknown;
    responseCode?: unknown;
    rejectedErrors?: unknown[];
  };
  if (typeof responseCode === 'number') {
    // A refusal is a bounce at send time (NOTIF-6): every refused RCPT, or the whole message at DATA.
    const perRecipient = (rejectedErrors ?? []).map(toBounce).filter((b): b is SendTimeBounce => b !== null);
    const whole = toBounce(error);
    const bounces = perRecipient.length > 0 ? perRecipient : whole ? [{ bounce: whole.bounce }] : [];
    return new DeliveryError(`smtp_${responseCode}`, responseCode >= 500 && responseCode < 600).withBounces(
      bounces,
    );
  }
  const safeCode = typeof code === 'string' && /^[A-Z_]{1,32}$/.test(code) ? code.toLowerCase() : 'error';
  return new DeliveryError(`smtp_${safeCode}`, false, UNREACHABLE_CODES.has(safeCode));
}

/**
 * nodemailer's error for one refusal: `responseCode`, the reply text in `response` (only searched for
 * an RFC 3463 code, never kept) and, for a refused RCPT, the `recipient`.
 */
function toBounce(error: unknown): SendTimeBounce | null {
  const { responseCode, response, recipient } = (error ?? {}) as {
    responseCode?: unknown;
    response?: unknown;
    recipient?: unknown;
  };
  if (typeof responseCode !== 'number') {
    return null;
  }
  const bounce = classifySmtpReply(responseCode, typeof response === 'string' ? response : '');
  // Only a refusal about the mailbox is a bounce; the rest (policy, the relay's own trouble) stays
  // a plain delivery failure, as does a refusal of the whole message without an enhanced code.
  if (!bounce || !affectsAddress(bounce) || (typeof recipient !== 'string' && !/\./.test(bounce.status))) {
    return null;
  }
  return typeof recipient === 'string' ? { recipient, bounce } : { bounce };
}
