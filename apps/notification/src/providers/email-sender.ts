import { OutgoingMessage } from './outgoing-message';

/** Sends an e-mail or throws DeliveryError (NOTIF-2). SMTP, or the development outbox. */
export abstract class EmailSender {
  abstract readonly provider: string;
  abstract send(message: OutgoingMessage & { subject: string }): Promise<void>;
}
