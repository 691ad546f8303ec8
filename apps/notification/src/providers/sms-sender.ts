import { OutgoingMessage } from './outgoing-message';

/**
 * Sends an SMS or throws DeliveryError (NOTIF-2). Adapters: `webhook` (generic JSON POST) and
 * `outbox` (development). A vendor adapter implements this class and is added to SmsSenderFactory.
 */
export abstract class SmsSender {
  abstract readonly provider: string;
  abstract send(message: OutgoingMessage): Promise<void>;
}
