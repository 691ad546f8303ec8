import { Injectable } from '@nestjs/common';
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

interface Waiting {
  messageId: string;
  at: Date;
  providerMessageId: string | null;
  fact: OutboxRow;
  resolve: (changed: boolean) => void;
  reject: (error: unknown) => void;
}

/** At most this many records in one statement; more wait for the next one. */
const MAX_BATCH = 500;

/**
 * Writes the `sent` records of the messages the workers hand to providers, many in one statement
 * (NOTIF-4, NOTIF-5): every record waiting when a write starts goes in the next one, which starts as
 * soon as the previous one is done — one database round trip for all the messages sent meanwhile,
 * instead of a transaction of four per message. A write is one statement, so each record's status,
 * history line and audit fact are committed together or not at all.
 *
 * `record` resolves once the record is committed (the worker finishes its job only then), or
 * rejects with the write's error. What a crash leaves is the caller's concern (DeliveryService: the
 * provider's acceptance is noted in Redis before the record is handed here, and the job is not done).
 */
@Injectable()
export class SentRecorder {
  private waiting: Waiting[] = [];
  private writing: Promise<void> | null = null;

  constructor(
    private readonly messages: MessageRepository,
    private readonly outbox: OutboxWriter,
    private readonly acceptance: ProviderAcceptanceStore,
  ) {}

  /** True if the message was moved to `sent` (false: it was no longer queued and claimed). */
  record(entry: SentRecord): Promise<boolean> {
    // The fact's row is built now, in the job's request context (its correlation id).
    const fact = this.outbox.prepare(entry.fact);
    return new Promise<boolean>((resolve, reject) => {
      this.waiting.push({ ...entry, fact, resolve, reject });
      this.writing ??= this.writeAll();
    });
  }

  /** Writes until nothing waits; records that arrive during a write go in the next one. */
  private async writeAll(): Promise<void> {
    // Let the other workers' records of this turn of the event loop join the first write.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.waiting.length > 0) {
        const batch = this.takeBatch();
        try {
          const changed = await this.messages.markSentMany(batch, this.outbox.table);
          batch.forEach((w) => w.resolve(changed.has(w.messageId)));
          // Their acceptance marks are no longer needed; a mark left behind only lapses.
          void this.acceptance.forget(batch.map((w) => w.messageId)).catch(() => undefined);
        } catch (error) {
          batch.forEach((w) => w.reject(error));
        }
      }
    } finally {
      this.writing = null;
    }
  }

  /** Up to MAX_BATCH records, one per message id (a repeat waits for the next write). */
  private takeBatch(): Waiting[] {
    const batch: Waiting[] = [];
    const rest: Waiting[] = [];
    const ids = new Set<string>();
    for (const w of this.waiting) {
      if (batch.length < MAX_BATCH && !ids.has(w.messageId)) {
        ids.add(w.messageId);
        batch.push(w);
      } else {
        rest.push(w);
      }
    }
    this.waiting = rest;
    return batch;
  }
}
