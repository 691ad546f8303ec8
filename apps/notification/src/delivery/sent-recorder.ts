import { Injectable } from '@nestjs/common';
import { NotificationJobData } from '@app/contracts';
import { NewAuditEvent, OutboxRow, OutboxWriter } from '@app/database';
import { MessageRepository } from '../messages/message.repository';
import { ProviderAcceptanceStore } from './provider-acceptance.store';

/** A message the provider took, whose `sent` record (status, history line, audit fact) is to be written. */
export interface SentRecord {
  messageId: string;
  /** When the provider took it. */
  at: Date;
  providerMessageId: string | null;
  /** The `notification.message.sent` fact, as the worker states it. */
  fact: NewAuditEvent;
}

interface Settle<T> {
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

type WaitingSent = Settle<boolean> & {
  messageId: string;
  at: Date;
  providerMessageId: string | null;
  fact: OutboxRow;
};

type WaitingClaim = Settle<number | null> & {
  messageId: string;
  data: NotificationJobData;
  now: Date;
  leaseUntil: Date;
};

/** At most this many records, and as many claims, in one statement; more wait for the next one. */
const MAX_BATCH = 500;

/**
 * Writes the workers' database steps of a send, many in one statement (NOTIF-4, NOTIF-5): the claim
 * before the provider is called (the record created if new) and the `sent` record after it. Every
 * claim and record waiting when a write starts goes in the next one, which starts as soon as the
 * previous one is done — one database round trip for all the messages claimed and sent meanwhile,
 * instead of one statement per claim and one per batch of records. A write is one statement, so each
 * record's status, history line and audit fact are committed together or not at all, and a claim is
 * taken exactly when its statement commits.
 *
 * `claim` and `record` resolve once their statement is committed (the worker calls the provider,
 * or finishes its job, only then), or reject with the write's error. What a crash leaves is the
 * caller's concern (DeliveryService: a claim whose answer was lost is noted as unused; the provider's
 * acceptance is noted in Redis before the record is handed here, and the job is not done).
 */
@Injectable()
export class SentRecorder {
  private waitingSent: WaitingSent[] = [];
  private waitingClaims: WaitingClaim[] = [];
  private writing: Promise<void> | null = null;

  constructor(
    private readonly messages: MessageRepository,
    private readonly outbox: OutboxWriter,
    private readonly acceptance: ProviderAcceptanceStore,
  ) {}

  /**
   * Registers the message if it is new and claims it until `leaseUntil`: its attempt number, or null
   * when it is no longer queued or another worker holds it (MessageRepository.writeDeliveries).
   */
  claim(data: NotificationJobData, now: Date, leaseUntil: Date): Promise<number | null> {
    return new Promise<number | null>((resolve, reject) => {
      this.waitingClaims.push({ messageId: data.messageId, data, now, leaseUntil, resolve, reject });
      this.writing ??= this.writeAll();
    });
  }

  /** True if the message was moved to `sent` (false: it was no longer queued and claimed). */
  record(entry: SentRecord): Promise<boolean> {
    // The fact's row is built now, in the job's request context (its correlation id).
    const fact = this.outbox.prepare(entry.fact);
    return new Promise<boolean>((resolve, reject) => {
      this.waitingSent.push({ ...entry, fact, resolve, reject });
      this.writing ??= this.writeAll();
    });
  }

  /** Writes until nothing waits; claims and records that arrive during a write go in the next one. */
  private async writeAll(): Promise<void> {
    // Let the other workers' claims and records of this turn of the event loop join the first write.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.waitingSent.length > 0 || this.waitingClaims.length > 0) {
        const ids = new Set<string>();
        const sent = this.take(this.waitingSent, ids);
        this.waitingSent = sent.rest;
        // A message id in both (a repeated job) waits: one statement changes a row once at most.
        const claims = this.take(this.waitingClaims, ids);
        this.waitingClaims = claims.rest;
        try {
          const written = await this.messages.writeDeliveries(
            claims.batch.map(({ data, now, leaseUntil }) => ({ data, now, leaseUntil })),
            sent.batch,
            this.outbox.table,
          );
          claims.batch.forEach((w) => w.resolve(written.attempts.get(w.messageId) ?? null));
          sent.batch.forEach((w) => w.resolve(written.sent.has(w.messageId)));
          if (sent.batch.length > 0) {
            // Their acceptance marks are no longer needed; a mark left behind only lapses.
            void this.acceptance.forget(sent.batch.map((w) => w.messageId)).catch(() => undefined);
          }
        } catch (error) {
          claims.batch.forEach((w) => w.reject(error));
          sent.batch.forEach((w) => w.reject(error));
        }
      }
    } finally {
      this.writing = null;
    }
  }

  /** Up to MAX_BATCH entries, one per message id not already in `ids` (a repeat waits for a later write). */
  private take<T extends { messageId: string }>(waiting: T[], ids: Set<string>): { batch: T[]; rest: T[] } {
    const batch: T[] = [];
    const rest: T[] = [];
    for (const w of waiting) {
      if (batch.length < MAX_BATCH && !ids.has(w.messageId)) {
        ids.add(w.messageId);
        batch.push(w);
      } else {
        rest.push(w);
      }
    }
    return { batch, rest };
  }
}
