/**
 * NOTIF-6 (a later issue) plugs in here: a hard bounce (no such mailbox, mailbox full) marks the
 * address undeliverable, so codes to it fail with `email_unavailable` until the address is changed or
 * the mark cleared. Not built yet; nothing implements or injects it.
 *
 * Where it will connect:
 * - synchronous rejections: SmtpEmailSender already turns a 5xx reply into a permanent DeliveryError
 *   (`smtp_5xx`), which DeliveryService records as `failed` — the place to call `recordHardBounce`;
 * - asynchronous DSNs: every e-mail carries `X-Mamori-Message-Id`, and the message record keeps the
 *   recipients' SHA-256 hashes, so a DSN can be tied to the message and the address without storing it.
 * The auth service owns the user's `email_undeliverable` flag; the bounce becomes a fact on JetStream
 * (or an RPC) for auth to apply, since no service writes another's schema.
 */
export interface HardBounce {
  messageId: string;
  /** The normalised address as stored: recipientHash, keyed by RECIPIENT_HASH_SECRET (recipientHashes for both forms). */
  recipientHash: string;
  kind: 'no_such_mailbox' | 'mailbox_full' | 'other';
  /** The SMTP reply code or DSN status, e.g. `550` or `5.1.1`. */
  status: string;
  receivedAt: Date;
}

export abstract class BounceService {
  /** Marks the message `bounced` and the address undeliverable (NOTIF-6). */
  abstract recordHardBounce(bounce: HardBounce): Promise<void>;
}
