import { OutgoingMessage, ProviderReceipt } from './outgoing-message';

/**
 * Sends an SMS or throws DeliveryError (NOTIF-2). Adapters: `webhook` (generic JSON POST), `twilio`
 * (Twilio Programmable Messaging) and `outbox` (development). A vendor adapter implements this class
 * and is added to ProvidersModule's factory.
 */
export abstract class SmsSender {
  abstract readonly provider: string;
  /** Resolves once the provider took the message, with its id for it when the provider gives one. */
  abstract send(message: OutgoingMessage): Promise<ProviderReceipt | void>;
}
