import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Language, NotificationChannel } from '@app/contracts';

/**
 * NOTIF-5. `suppressed`: never sent because a send cap or an undeliverable mark stopped it. The
 * allowed moves between them are in message-status.rules.ts.
 */
export const MESSAGE_STATUSES = [
  'queued',
  'sent',
  'delivered',
  'failed',
  'bounced',
  'expired',
  'suppressed',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/**
 * One message and where it stands (NOTIF-5): queued → sent → delivered / failed / bounced / expired.
 * State changes go through MessageRepository's single conditional statements, never load-and-save,
 * so concurrent workers cannot both send it (NOTIF-4).
 */
@Entity({ name: 'message' })
export class Message {
  @PrimaryColumn({ name: 'message_id' })
  messageId!: string;

  @Column({ type: 'text' })
  channel!: NotificationChannel;

  @Column()
  template!: string;

  @Column({ type: 'text' })
  language!: Language;

  @Column({ type: 'text' })
  status!: MessageStatus;

  /** SHA-256 of each normalised address or number: matchable, not readable. */
  @Column({ name: 'recipient_hashes', type: 'text', array: true })
  recipientHashes!: string[];

  /** Provider calls started (a claim counts as one). */
  @Column()
  attempts!: number;

  /** A short code such as `webhook_status_500`; never a provider's message text. */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  /** Set while one worker is calling the provider; see MessageRepository.claim. */
  @Column({ name: 'claimed_until', type: 'timestamptz', nullable: true })
  claimedUntil!: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'user_id', type: 'text', nullable: true })
  userId!: string | null;

  @Column({ name: 'correlation_id', type: 'text', nullable: true })
  correlationId!: string | null;

  /** The job, sealed (JobSealer), while the message is `queued`; null once final or without a key. */
  @Column({ name: 'sealed_job', type: 'text', nullable: true })
  sealedJob!: string | null;

  /** The tenants the message concerns (from the job), for the tags of audit events about it. */
  @Column({ type: 'text', array: true, nullable: true })
  tenants!: string[] | null;

  /**
   * The recipients as operators see them (`ta***@example.com`, `+81 90-****-5678`), made at
   * enqueue; the address itself is never stored. Null for records written before it existed.
   */
  @Column({ name: 'recipient_masked', type: 'text', nullable: true })
  recipientMasked!: string | null;

  /** The provider's id of the message (Twilio's `SM…` sid), by which its delivery receipt finds it. */
  @Column({ name: 'provider_message_id', type: 'text', nullable: true })
  providerMessageId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
