import { AckPolicy, Consumer, DeliverPolicy, JsMsg, NatsConnection } from 'nats';
import { AUDIT_STREAM, AUDIT_SUBJECT_PREFIX } from '@app/contracts';
import { connectNats, NatsSettings } from '@app/messaging';
import type { CommandOutput } from '../operator/operator-create.command';

export interface AuditTailOptions {
  /** A subject pattern after `audit.`: `auth.login.*`, `case-management.>`; all events when absent. */
  type?: string;
  /** Replay from this time; without it, only events published from now on. */
  since?: Date;
  /** A named durable consumer: it remembers what was acknowledged and resumes there next time. */
  durable?: string;
  /** Stop after this many events (else run until interrupted). */
  limit?: number;
}

const TYPE_PATTERN = /^(?:[a-z0-9_-]+|\*)(?:\.(?:[a-z0-9_-]+|\*))*(?:\.>)?$|^>$/;
const DURABLE = /^[A-Za-z0-9_-]{1,64}$/;
const DURATION = /^(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `--type`, `--since 1h|2026-01-31T00:00:00Z`, `--durable NAME`, `--limit N` → options, or what is wrong. */
export function auditTailOptionsOf(
  options: Record<string, string | true>,
  now: Date,
): AuditTailOptions | { invalid: string } {
  const result: AuditTailOptions = {};
  const { type, since, durable, limit } = options;
  if (type !== undefined) {
    if (typeof type !== 'string' || !TYPE_PATTERN.test(type)) {
      return {
        invalid: '--type must be an event type or a pattern of one, e.g. auth.login.* or case-management.>',
      };
    }
    result.type = type;
  }
  if (since !== undefined) {
    const duration = typeof since === 'string' ? DURATION.exec(since) : null;
    const time = duration
      ? new Date(now.getTime() - Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS])
      : new Date(typeof since === 'string' ? since : Number.NaN);
    if (Number.isNaN(time.getTime())) {
      return { invalid: '--since must be a duration (30s, 15m, 1h, 7d) or an ISO 8601 time' };
    }
    result.since = time;
  }
  if (durable !== undefined) {
    if (typeof durable !== 'string' || !DURABLE.test(durable)) {
      return { invalid: '--durable must be 1-64 letters, digits, "_" or "-"' };
    }
    result.durable = durable;
  }
  if (limit !== undefined) {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1) {
      return { invalid: '--limit must be a positive whole number' };
    }
    result.limit = n;
  }
  return result;
}

/**
 * `audit:tail` (AUDIT-4), the example consumer of the AUDIT stream: one JSON line per event on
 * stdout, as published. Without `--durable` it reads with an ordered consumer, which the server
 * creates for this run and forgets after it (nothing to clean up, nothing to acknowledge). With
 * `--durable NAME` it uses (or creates) a durable consumer with explicit acks: each event is acked
 * after it is printed, so a later run with the same name goes on where this one stopped, and an event
 * printed but not acked (the run died in between) comes again — at least once, as every consumer of
 * the stream must expect: de-duplicate on `id`.
 */
export class AuditTailCommand {
  constructor(
    private readonly nats: NatsSettings,
    private readonly output: CommandOutput,
  ) {}

  async run(options: AuditTailOptions, signal?: AbortSignal): Promise<number> {
    const nc = await connectNats(this.nats, 'mamori-cli-audit-tail');
    try {
      const consumer = await this.consumer(nc, options);
      let printed = 0;
      const remaining = (): number => (options.limit === undefined ? 256 : options.limit - printed);
      while (remaining() > 0 && !signal?.aborted) {
        // A durable consumer fetches no more than it will print: a message fetched and not acked
        // would only come again after the ack wait. An ordered consumer acks nothing.
        const messages = options.durable
          ? await consumer.fetch({ max_messages: Math.min(256, remaining()), expires: 5_000 })
          : await consumer.consume({ max_messages: Math.min(256, remaining()) });
        const stop = (): void => {
          void messages.close();
        };
        signal?.addEventListener('abort', stop, { once: true });
        try {
          for await (const msg of messages) {
            this.print(msg);
            if (options.durable) {
              msg.ack();
            }
            printed += 1;
            if (remaining() <= 0 || signal?.aborted) {
              break;
            }
          }
        } finally {
          signal?.removeEventListener('abort', stop);
        }
        if (!options.durable && options.limit === undefined) {
          // consume() only ends when closed: by the signal.
          break;
        }
      }
      return 0;
    } finally {
      // Drain, so the last acks reach the server before the connection closes.
      await nc.drain();
    }
  }

  private async consumer(nc: NatsConnection, options: AuditTailOptions): Promise<Consumer> {
    const filter = `${AUDIT_SUBJECT_PREFIX}.${options.type ?? '>'}`;
    const start = options.since
      ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: options.since.toISOString() }
      : { deliver_policy: DeliverPolicy.New };
    const js = nc.jetstream();
    if (!options.durable) {
      return js.consumers.get(AUDIT_STREAM, { filterSubjects: filter, ...start });
    }
    const jsm = await nc.jetstreamManager();
    // An existing durable keeps its position: the start options apply only when it is created.
    const existing = await jsm.consumers.info(AUDIT_STREAM, options.durable).catch(() => undefined);
    if (!existing) {
      await jsm.consumers.add(AUDIT_STREAM, {
        durable_name: options.durable,
        filter_subject: filter,
        ack_policy: AckPolicy.Explicit,
        ...start,
      });
    }
    return js.consumers.get(AUDIT_STREAM, options.durable);
  }

  private print(msg: JsMsg): void {
    try {
      this.output.out(JSON.stringify(JSON.parse(msg.string())));
    } catch {
      // Not JSON: still one line, so a reader of the output never loses its framing.
      this.output.out(JSON.stringify({ subject: msg.subject, unparsable: msg.string() }));
    }
  }
}
