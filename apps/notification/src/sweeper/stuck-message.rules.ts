import { MessageStatus } from '../messages/message.entity';

/** A message record the sweeper looks at: one still `queued` and not touched for a while. */
export interface StuckMessage {
  status: MessageStatus;
  /** Set while a worker holds the message for a provider call (or held it and died). */
  claimedUntil: Date | null;
  expiresAt: Date | null;
  updatedAt: Date;
  /** A sealed copy of the job is kept with the record (JobSealer). */
  sealedJob: string | null;
}

/** What the sweeper found outside the record, just before deciding. */
export interface StuckMessageFacts {
  /** When the provider took the message, if a worker noted that and then failed to record it. */
  acceptedAt: Date | null;
  /** Whether the message's BullMQ job still exists (waiting, delayed or active). */
  jobExists: boolean;
  /** The lease of a claim a run took without calling the provider (its answer was lost), if noted. */
  unusedClaim?: Date | null;
}

export type SweepDecision =
  /** Nothing to do: a live worker holds it, or its job is still there to deliver it. */
  | { kind: 'leave' }
  /** The provider took it (noted) but the record failed: `sent`, at the noted time. */
  | { kind: 'record_sent'; at: Date }
  /** A claim its run took without ever calling the provider: given back, the message stays queued. */
  | { kind: 'drop_unused_claim'; lease: Date }
  /** A claim that ran out with no outcome: it may have gone out, so it is not sent again. */
  | { kind: 'outcome_unknown' }
  /** Never handed to a provider and past its expiry: `expired`. */
  | { kind: 'expire' }
  /** Never handed to a provider, still valid, its job gone (Redis lost it): queued again from the copy. */
  | { kind: 'requeue' }
  /** The same without a copy of the job to queue again: `failed`. */
  | { kind: 'job_lost' };

/**
 * How the sweeper resolves a `queued` record nobody is finishing (NOTIF-4): the rules in one place,
 * with the time passed in. Each decision is carried out by one conditional UPDATE that repeats the
 * rule's conditions (MessageRepository), so a worker or another replica's sweeper acting on the same
 * record at the same moment leaves it decided once.
 *
 * `staleAfterMs`: how long an unclaimed record must have been left alone before a missing job counts
 * as lost (a worker registers the record while it holds the job, so this is only a safety margin).
 */
export function decideStuckMessage(
  row: StuckMessage,
  now: Date,
  facts: StuckMessageFacts,
  staleAfterMs: number,
): SweepDecision {
  if (row.status !== 'queued') {
    return { kind: 'leave' };
  }
  if (row.claimedUntil !== null) {
    // Only a worker whose record failed after the provider's answer leaves this mark.
    if (facts.acceptedAt) {
      return { kind: 'record_sent', at: facts.acceptedAt };
    }
    if (row.claimedUntil.getTime() > now.getTime()) {
      return { kind: 'leave' };
    }
    // The run that holds exactly this lease never called the provider: nothing can have gone out.
    if (facts.unusedClaim && facts.unusedClaim.getTime() === row.claimedUntil.getTime()) {
      return { kind: 'drop_unused_claim', lease: facts.unusedClaim };
    }
    // Expired or not, it may have reached the user: sending again could deliver it twice.
    return { kind: 'outcome_unknown' };
  }
  if (row.expiresAt !== null && row.expiresAt.getTime() <= now.getTime()) {
    return { kind: 'expire' };
  }
  if (facts.jobExists || now.getTime() - row.updatedAt.getTime() < staleAfterMs) {
    return { kind: 'leave' };
  }
  return row.sealedJob ? { kind: 'requeue' } : { kind: 'job_lost' };
}
