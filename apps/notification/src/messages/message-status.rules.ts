import { MessageStatus } from './message.entity';

/** The detail of a message whose worker died while calling the provider (see markAbandoned). */
export const OUTCOME_UNKNOWN = 'outcome_unknown';

/**
 * From which statuses a message may move to `to` (NOTIF-5): forward only, so a late `sent` receipt
 * after `delivered` changes nothing. A mail accepted and then bounced may still bounce after a
 * delivery notice. Failed is final but for two things: a message that failed with `outcome_unknown` (its
 * worker died during the provider call) takes what the provider's receipt says really happened, and
 * any failed message may still be found to have bounced (NOTIF-6).
 */
const ALLOWED_FROM: Record<MessageStatus, readonly MessageStatus[]> = {
  queued: [],
  sent: ['queued'],
  delivered: ['queued', 'sent'],
  failed: ['queued', 'sent'],
  // A failure at send time (SMTP 5xx) later classified, or a DSN for a message that failed: more precise.
  bounced: ['queued', 'sent', 'delivered', 'failed'],
  expired: ['queued'],
  suppressed: ['queued'],
};

const AFTER_OUTCOME_UNKNOWN: readonly MessageStatus[] = ['sent', 'delivered', 'failed', 'bounced'];

export interface StatusSource {
  /** The statuses `to` may follow. */
  statuses: MessageStatus[];
  /** Whether a message failed with `outcome_unknown` may move to `to` as well. */
  fromOutcomeUnknown: boolean;
}

export function allowedSources(to: MessageStatus): StatusSource {
  return { statuses: [...ALLOWED_FROM[to]], fromOutcomeUnknown: AFTER_OUTCOME_UNKNOWN.includes(to) };
}

/** Whether a message at `from` (with `lastError`) may move to `to`. */
export function canMove(from: MessageStatus, lastError: string | null, to: MessageStatus): boolean {
  const source = allowedSources(to);
  return (
    source.statuses.includes(from) ||
    (source.fromOutcomeUnknown && from === 'failed' && lastError === OUTCOME_UNKNOWN)
  );
}
