import { DevOutboxStore } from '../dev-outbox/dev-outbox.store';
import { OutgoingMessage } from './outgoing-message';
import { SmsSender } from './sms-sender';

/** SMS_PROVIDER=outbox (the default): into the development outbox (API.md "Running"). */
export class OutboxSmsSender extends SmsSender {
  readonly provider = 'outbox';

  constructor(private readonly outbox: DevOutboxStore) {
    super();
  }

  async send(message: OutgoingMessage): Promise<void> {
    await this.outbox.deliver('sms', message);
  }
}
