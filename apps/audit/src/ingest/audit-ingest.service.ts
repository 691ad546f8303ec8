import { Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { AppendResult, AuditEventRepository } from '../store/audit-event.repository';
import { NormalizedAuditEvent, parseAuditEventPayload } from './audit-event-payload.schema';

export type IngestOutcome =
  | { kind: 'stored'; event: NormalizedAuditEvent; seq: number; registeredType: boolean }
  | { kind: 'duplicate'; event: NormalizedAuditEvent }
  /** Will never be storable, whatever the retries: the message is to be terminated. */
  | { kind: 'rejected'; problems: string[] };

/**
 * One message of the audit stream into the trail (AUDIT-1): validates it, then appends it once by
 * event id. Database failures are thrown, for the consumer to retry the message later.
 */
@Injectable()
export class AuditIngestService {
  constructor(
    private readonly repository: AuditEventRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * A batch of messages into the trail with one insert (see AuditEventRepository.appendBatch).
   * Outcomes are in input order; a database failure is thrown for the whole batch.
   */
  async ingestBatch(datas: Uint8Array[]): Promise<IngestOutcome[]> {
    const parsed = datas.map((data) => parseAuditEventPayload(data));
    const valid = parsed.flatMap((p) => (p.ok ? [p] : []));
    const results = await this.repository.appendBatch(
      valid.map((p) => p.event),
      this.clock.now(),
    );
    let next = 0;
    return parsed.map((p): IngestOutcome => {
      if (!p.ok) {
        return { kind: 'rejected', problems: p.problems };
      }
      const result = results[next++];
      return result.stored
        ? { kind: 'stored', event: p.event, seq: result.seq, registeredType: p.registeredType }
        : { kind: 'duplicate', event: p.event };
    });
  }

  async ingest(data: Uint8Array): Promise<IngestOutcome> {
    const parsed = parseAuditEventPayload(data);
    if (!parsed.ok) {
      return { kind: 'rejected', problems: parsed.problems };
    }
    const result: AppendResult = await this.repository.append(parsed.event, this.clock.now());
    return result.stored
      ? { kind: 'stored', event: parsed.event, seq: result.seq, registeredType: parsed.registeredType }
      : { kind: 'duplicate', event: parsed.event };
  }
}
