import { DevOutboxStore } from '../dev-outbox/dev-outbox.store';
import { EmailSender } from './email-sender';
import { OutgoingMessage } from './outgoing-message';

/** E-mail when SMTP_URL is unset: into the development outbox (API.md "Running"). */
export class OutboxEmailSender extends EmailSender {
  readonly provider = 'outbox';

  constructor(private readonly outbox: DevOutboxStore) {
    super();
  }

  async send(message: OutgoingMessage & { subject: string }): Promise<void> {
    await this.outbox.deliver('email', message);
  }
}
