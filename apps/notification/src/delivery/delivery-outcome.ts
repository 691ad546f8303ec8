import { MessageStatus } from '../messages/message.entity';

/** What became of one processing of a job; the worker maps it to BullMQ. */
export type DeliveryOutcome =
  /**
   * Handed to the provider at `acceptedAt`; status `sent`. The time is the provider's answer, not the
   * record's commit after it: queued → provider (the metric) ends there.
   */
  | { kind: 'sent'; acceptedAt: Date }
  /** Past `expiresAt`: not sent, status `expired` (NOTIF-4). */
  | { kind: 'expired' }
  /** The message id was already handled (duplicate or repeated job): nothing sent (NOTIF-4). */
  | { kind: 'duplicate'; status: MessageStatus }
  /** Another worker is sending it right now: look again after `delayMs`. */
  | { kind: 'busy'; delayMs: number }
  /** The provider's queue is paused (it cannot be reached): not tried, look again after `delayMs`. */
  | { kind: 'paused'; delayMs: number }
  /** The provider failed; try again after `delayMs`. */
  | { kind: 'retry'; delayMs: number; reason: string }
  /** Failed for good (permanent error, attempts used up, bad job); status `failed`. */
  | { kind: 'failed'; reason: string };
