import { TemplateName } from '@app/contracts';

/** A rendered message on its way to a provider. */
export interface OutgoingMessage {
  messageId: string;
  template: TemplateName;
  /** E-mail addresses or E.164 numbers. */
  to: string[];
  /** E-mail only. */
  subject?: string;
  text: string;
  /** E-mail only: the HTML alternative of `text`. */
  html?: string;
  /** E-mail only: the sender of this message type (MAIL_FROM or MAIL_FROM_BY_TYPE). */
  from?: string;
  /** From a bulk queue: a provider may send it over connections of its own, apart from codes. */
  bulk?: boolean;
}

/** What a provider answered when it took a message. */
export interface ProviderReceipt {
  /** The provider's id of the message (e.g. Twilio's `SM…` sid), matched by its delivery receipts. */
  providerMessageId?: string;
}
