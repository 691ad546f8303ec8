import { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitFor } from '../platform/wait-for';

/** One e-mail as the SMTP sink received it. */
export interface SinkMail {
  /** Envelope recipients (RCPT TO), as the server saw them. */
  to: string[];
  /** Envelope sender (MAIL FROM): the return path bounces go to. */
  mailFrom: string;
  /** The From header, e.g. `Security Advisory Center <noreply@mamori.local>`. */
  from: string;
  subject: string;
  text: string;
  receivedAt: Date;
  /** The HTML alternative, '' when the mail had none. */
  html: string;
  /** The Message-ID header, e.g. `<message id@mamori.local>`. */
  messageId?: string;
  /** The DKIM-Signature header's value, when the mail was signed. */
  dkimSignature?: string;
}

/**
 * A real SMTP server on 127.0.0.1 (random port, no auth, no TLS) standing in for the outside world in
 * tests: point SMTP_URL at `start().url`, then read codes and links only from what arrived here.
 */
export class SmtpSink {
  private server?: SMTPServer;
  private received: SinkMail[] = [];
  private failures: { count: number; responseCode: number } = { count: 0, responseCode: 451 };
  /** Recipients refused at RCPT TO, lower-cased, with the reply (e.g. `550 5.1.1 …`). */
  private refused = new Map<string, { responseCode: number; text: string }>();
  private opened = 0;

  /** `port` 0 picks a free one; a fault test passes the earlier port to bring the "provider" back. */
  async start(port = 0): Promise<{ url: string }> {
    this.server = new SMTPServer({
      // stop() ends open (pooled) connections after this, as a provider outage would, instead of 30 s.
      closeTimeout: 200,
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      hideSTARTTLS: true,
      disableReverseLookup: true,
      logger: false,
      onConnect: (_session, callback) => {
        this.opened += 1;
        callback();
      },
      onRcptTo: (address, _session, callback) => {
        const refusal = this.refused.get(address.address.toLowerCase());
        if (refusal) {
          callback(Object.assign(new Error(refusal.text), { responseCode: refusal.responseCode }));
          return;
        }
        callback();
      },
      onData: (stream, session, callback) => {
        if (this.failures.count > 0) {
          this.failures.count -= 1;
          const { responseCode } = this.failures;
          stream.on('end', () =>
            callback(Object.assign(new Error('rejected by the test sink'), { responseCode })),
          );
          stream.resume();
          return;
        }
        simpleParser(stream)
          .then((parsed) => {
            this.received.push({
              to: session.envelope.rcptTo.map((a) => a.address),
              mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              from: formatAddress(parsed.from?.value[0]),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              receivedAt: new Date(),
              html: typeof parsed.html === 'string' ? parsed.html : '',
              ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
              ...dkimHeader(parsed.headerLines),
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = server.server.address() as AddressInfo;
    return { url: `smtp://127.0.0.1:${address.port}` };
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** SMTP connections clients opened to this sink since it started. */
  connectionsOpened(): number {
    return this.opened;
  }

  messages(): SinkMail[] {
    return [...this.received];
  }

  waitFor(predicate: (mail: SinkMail) => boolean, timeoutMs = 10_000): Promise<SinkMail> {
    return waitFor(() => this.received.find(predicate), {
      timeoutMs,
      intervalMs: 20,
      description: 'a matching message in the SMTP sink',
    });
  }

  clear(): void {
    this.received = [];
    this.failures = { count: 0, responseCode: 451 };
    this.refused.clear();
  }

  /**
   * Refuses `address` at RCPT TO from now on, as a mail server does a mailbox it does not have
   * (`550 5.1.1`) or one that is full (`452 4.2.2`): the text is the reply after the code.
   */
  refuse(address: string, responseCode = 550, text = '5.1.1 Recipient address rejected: User unknown'): void {
    this.refused.set(address.toLowerCase(), { responseCode, text });
  }

  /** Rejects the next `count` messages at the end of DATA with `responseCode` (4xx temporary, 5xx permanent). */
  failNext(count: number, responseCode = 451): void {
    this.failures = { count, responseCode };
  }
}

function formatAddress(address: { name?: string; address?: string } | undefined): string {
  if (!address?.address) {
    return '';
  }
  return address.name ? `${address.name} <${address.address}>` : address.address;
}

function dkimHeader(lines: readonly { key: string; line: string }[]): { dkimSignature?: string } {
  const line = lines.find((l) => l.key === 'dkim-signature')?.line;
  return line ? { dkimSignature: line.slice(line.indexOf(':') + 1).trim() } : {};
}
