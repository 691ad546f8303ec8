import { SendReport } from './delivery.error';
import { OutgoingMessage } from './outgoing-message';

/** Sends an e-mail or throws DeliveryError (NOTIF-2). SMTP, or the development outbox. */
export abstract class EmailSender {
  abstract readonly provider: string;
  /** Resolves with a report when some recipients were refused while others were taken (NOTIF-6). */
  abstract send(message: OutgoingMessage & { subject: string }): Promise<void | SendReport>;
}
