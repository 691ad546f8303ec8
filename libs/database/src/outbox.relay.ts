import { OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { headers, JetStreamClient, NatsConnection, NatsError } from 'nats';
import { Client, Pool, PoolClient, QueryResult } from 'pg';
import { Counter, Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { Clock, SystemClock } from '@app/config';
import {
  AuditStreamSettings,
  connectNats,
  DEFAULT_AUDIT_STREAM_SETTINGS,
  ensureAuditStream,
  NatsSettings,
  WakeableSleep,
} from '@app/messaging';
import { AppLogger } from '@app/observability';
import { DEFAULT_OUTBOX_BATCH_WINDOW_MS, OutboxBatchWindow } from './outbox-batch-window';
import { outboxChannel } from './outbox.sql';

const BATCH = 100;

interface OutboxRow {
  id: string;
  subject: string;
  payload: unknown;
  attempts: number;
}
const IDLE_POLL_MS = 1000;
const MAX_BACKOFF_MS = 10_000;
/** A parked row's error as kept in the table: enough to tell the cause, never a payload. */
const MAX_ERROR_LENGTH = 500;

export interface OutboxRelayOptions {
  stream?: AuditStreamSettings;
  /** Refusals by JetStream after which a row is parked. */
  maxAttempts?: number;
  /** The process's registry: outbox depth, age, parked rows and publish counters go there. */
  registry?: Registry;
  /** How long a wake-up right after a pass waits for more rows (OutboxBatchWindow); 0: never. */
  batchWindowMs?: number;
  clock?: Clock;
}

/** What one pass over a batch did. */
interface BatchOutcome {
  taken: number;
  sent: number;
  refused: number;
  parked: number;
  /** A failure that is not the row's (NATS unreachable, no stream): retried without counting. */
  outage?: unknown;
}

/**
 * Whether JetStream (or the client, before sending) refused this message itself: an answer from the
 * stream with an API error (a message over the stream's size limit, a header it rejects) or a
 * payload over the server's maximum. Time-outs, "no responders" (no stream listening) and a closed
 * connection are outages of the path, not the row's fault, and never count against it.
 */
export function isRowRefusal(error: unknown): boolean {
  if (!(error instanceof NatsError)) {
    return false;
  }
  return error.isJetStreamError() || error.code === 'MAX_PAYLOAD_EXCEEDED';
}

type DepthReader = () => Promise<{ pending: number; parked: number; oldestAgeSeconds: number }>;

/** Per registry and schema, the relay the gauges read (the latest made: an app started again in one process). */
const depthReaders = new WeakMap<Registry, Map<string, DepthReader>>();

/** Gauges read at scrape time: what waits in the table, and for how long. Registered once per registry. */
function registerDepthGauges(registry: Registry, schema: string, read: DepthReader): void {
  const readers = depthReaders.get(registry) ?? new Map<string, DepthReader>();
  depthReaders.set(registry, readers);
  readers.set(schema, read);
  if (registry.getSingleMetric('mamori_outbox_rows')) {
    return;
  }
  const depths = async () =>
    Promise.all(
      [...readers].map(async ([name, reader]) => ({ name, depth: await reader().catch(() => undefined) })),
    );
  const rowsGauge: Gauge = new Gauge({
    name: 'mamori_outbox_rows',
    help: 'Outbox rows by state: pending (to be published) or parked (refused, needs an operator)',
    labelNames: ['schema', 'state'],
    registers: [registry],
    collect: async () => {
      for (const { name, depth } of await depths()) {
        if (depth) {
          rowsGauge.set({ schema: name, state: 'pending' }, depth.pending);
          rowsGauge.set({ schema: name, state: 'parked' }, depth.parked);
        }
      }
    },
  });
  const ageGauge: Gauge = new Gauge({
    name: 'mamori_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest outbox row still to be published (0 when none)',
    labelNames: ['schema'],
    registers: [registry],
    collect: async () => {
      for (const { name, depth } of await depths()) {
        if (depth) {
          ageGauge.set({ schema: name }, depth.oldestAgeSeconds);
        }
      }
    },
  });
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_LENGTH);
}

/**
 * Moves committed outbox rows into JetStream, in order, and deletes them once the stream has
 * acknowledged them. Each message carries the event id as `Nats-Msg-Id`, so a row republished after
 * a crash between publish and delete is dropped by the stream's duplicate window, and the audit
 * consumer's primary key catches any later duplicate. Rows are claimed with SKIP LOCKED, so replicas
 * share the work. While NATS is down rows stay in the table: nothing is lost, only delayed. When the
 * stream is missing (a NATS that lost its store answers "no responders"), the relay makes it again.
 * A row JetStream itself refuses counts an attempt; after `maxAttempts` it is parked, logged and
 * counted, and the rows behind it go on flowing. Under load a wake-up waits out a short batch window
 * (OutboxBatchWindow) so that one pass, one transaction, takes many rows; an idle relay publishes
 * at once.
 */
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: AppLogger;
  private nc?: NatsConnection;
  private js?: JetStreamClient;
  private listener?: Client;
  private running = false;
  private readonly pause = new WakeableSleep();
  private loop?: Promise<void>;
  private readonly stream: AuditStreamSettings;
  private readonly maxAttempts: number;
  private readonly published?: Counter;
  private readonly refusals?: Counter;
  private readonly parkings?: Counter;
  private readonly streamsCreated?: Counter;
  private readonly passes?: Counter;
  private readonly batchWindow: OutboxBatchWindow;
  /** The wait of a batch window: cut short by shutdown only, never by the NOTIFYs it lets gather. */
  private readonly windowPause = new WakeableSleep();

  constructor(
    private readonly schema: string,
    private readonly dataSource: DataSource,
    private readonly urls: { database: string; nats: NatsSettings },
    logger: AppLogger,
    options: OutboxRelayOptions = {},
  ) {
    this.logger = logger.child({ component: OutboxRelay.name });
    this.stream = options.stream ?? DEFAULT_AUDIT_STREAM_SETTINGS;
    this.maxAttempts = options.maxAttempts ?? 10;
    this.batchWindow = new OutboxBatchWindow(
      options.clock ?? new SystemClock(),
      options.batchWindowMs ?? DEFAULT_OUTBOX_BATCH_WINDOW_MS,
    );
    const registry = options.registry;
    if (registry) {
      const counter = (name: string, help: string): Counter =>
        (registry.getSingleMetric(name) as Counter | undefined) ??
        new Counter({ name, help, labelNames: ['schema'], registers: [registry] });
      this.published = counter('mamori_outbox_published_total', 'Outbox rows acknowledged by JetStream');
      this.refusals = counter('mamori_outbox_refusals_total', 'Publishes of an outbox row JetStream refused');
      this.parkings = counter('mamori_outbox_parked_total', 'Outbox rows parked after repeated refusals');
      this.streamsCreated = counter(
        'mamori_outbox_stream_created_total',
        'AUDIT stream found missing and made again',
      );
      this.passes = counter(
        'mamori_outbox_passes_total',
        'Relay passes that took outbox rows (one transaction each); published over passes is rows a pass',
      );
      for (const c of [this.published, this.refusals, this.parkings, this.streamsCreated, this.passes]) {
        c.inc({ schema }, 0);
      }
      registerDepthGauges(registry, schema, () => this.depth());
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    this.running = true;
    this.nc = await connectNats(this.urls.nats, `outbox-${this.schema}`);
    const reconciled = await ensureAuditStream(await this.nc.jetstreamManager(), this.stream);
    if (reconciled !== 'unchanged') {
      this.logger.info({ stream: reconciled, settings: this.stream }, 'AUDIT stream reconciled');
    }
    this.js = this.nc.jetstream();
    await this.listen();
    this.loop = this.run();
  }

  /** Publishes until the outbox is empty; resolves with the number of rows sent. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const outcome = await this.publishBatch();
      if (outcome.outage) {
        throw outcome.outage;
      }
      total += outcome.sent;
      if (outcome.taken < BATCH) {
        return total;
      }
    }
  }

  /** Rows waiting and parked, and the age of the oldest waiting one (metrics, status). */
  async depth(): Promise<{ pending: number; parked: number; oldestAgeSeconds: number }> {
    const [row] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE parked_at IS NULL)::int AS pending,
              count(*) FILTER (WHERE parked_at IS NOT NULL)::int AS parked,
              COALESCE(EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE parked_at IS NULL)), 0)::float8 AS age
         FROM "${this.schema}".outbox`,
    );
    return { pending: row.pending, parked: row.parked, oldestAgeSeconds: row.age };
  }

  private async listen(): Promise<void> {
    this.listener = new Client({ connectionString: this.urls.database });
    this.listener.on('notification', () => this.pause.wake());
    this.listener.on('error', (error) => this.logger.warn({ err: error.message }, 'outbox listener lost'));
    await this.listener.connect();
    await this.listener.query(`LISTEN "${outboxChannel(this.schema)}"`);
  }

  private async run(): Promise<void> {
    let backoff = 100;
    while (this.running) {
      try {
        const outcome = await this.publishBatch();
        if (outcome.outage) {
          throw outcome.outage;
        }
        backoff = 100;
        if (outcome.taken === BATCH) {
          continue;
        }
        await this.pause.sleep(IDLE_POLL_MS);
        // Woken (or the idle poll): a relay still busy lets the window's rows gather first.
        const delay = this.batchWindow.delayBeforePass();
        if (delay > 0 && this.running) {
          await this.windowPause.sleep(delay);
        }
      } catch (error) {
        this.logger.warn({ err: messageOf(error), backoff }, 'outbox publish failed; will retry');
        await this.recreateStreamIfMissing(error);
        await this.pause.sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  /** "No responders" on a publish: nothing listens on the subject, i.e. the stream is gone. */
  private async recreateStreamIfMissing(error: unknown): Promise<void> {
    if (!(error instanceof NatsError) || error.code !== '503' || !this.nc || this.nc.isClosed()) {
      return;
    }
    try {
      const done = await ensureAuditStream(await this.nc.jetstreamManager(), this.stream);
      if (done === 'created') {
        this.streamsCreated?.inc({ schema: this.schema });
        this.logger.warn({ stream: 'AUDIT' }, 'AUDIT stream was missing; made it again');
      }
    } catch (ensureError) {
      this.logger.warn({ err: messageOf(ensureError) }, 'AUDIT stream could not be made');
    }
  }

  /**
   * One pass, in two PostgreSQL round trips when every row goes out (the usual case):
   *
   * 1. `BEGIN` and one statement that takes up to BATCH waiting rows (skipping rows another relay
   *    holds, and parked ones), locks them and deletes them, answering them in outbox order. The
   *    deletion is not committed: until then the rows are still there for everyone else (locked, so
   *    other replicas skip them), and a crash or a lost connection undoes it.
   * 2. The rows are published back to back in that order with their acknowledgements awaited
   *    together, then `COMMIT` if JetStream took them all.
   *
   * Otherwise (a refusal, or an outage that lost some of them) the deletion is rolled back, so a row
   * lost to the outage is left exactly as it was, and one statement of its own then deletes the rows
   * JetStream did acknowledge and counts an attempt on each it refused, parking it at `maxAttempts`.
   * A row of the batch that another replica takes in between is published twice at worst, which
   * the `Nats-Msg-Id` de-duplication absorbs as it does a crash's.
   */
  private async publishBatch(): Promise<BatchOutcome> {
    const js = this.js;
    if (!js) {
      return { taken: 0, sent: 0, refused: 0, parked: 0 };
    }
    // The relay's SQL goes through the pool's own client rather than a TypeORM transaction: a query
    // without parameters may hold several statements, which is what lets BEGIN travel with the claim.
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    const client = await pool.connect();
    let broken: Error | undefined;
    // The pool listens for a checked-out client's errors no more: a connection lost mid-pass would
    // otherwise be an unhandled 'error' event. Its query fails as well, and the client is discarded.
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    try {
      const rows = await this.claim(client);
      if (rows.length === 0) {
        await client.query('COMMIT');
        return { taken: 0, sent: 0, refused: 0, parked: 0 };
      }
      this.passes?.inc({ schema: this.schema });
      const results = await Promise.allSettled(
        rows.map((row) => {
          const h = headers();
          h.set('Nats-Msg-Id', row.id);
          return js.publish(row.subject, JSON.stringify(row.payload), { msgID: row.id, headers: h });
        }),
      );
      const sent: string[] = [];
      const refused: { row: OutboxRow; error: unknown }[] = [];
      let outage: unknown;
      results.forEach((result, i) => {
        if (result.status === 'fulfilled') {
          sent.push(rows[i].id);
        } else if (isRowRefusal(result.reason)) {
          refused.push({ row: rows[i], error: result.reason });
        } else {
          outage ??= result.reason;
        }
      });
      if (sent.length === rows.length) {
        await client.query('COMMIT');
        this.published?.inc({ schema: this.schema }, sent.length);
        return { taken: rows.length, sent: sent.length, refused: 0, parked: 0 };
      }
      await client.query('ROLLBACK');
      const parked = await this.settle(client, sent, refused);
      return { taken: rows.length, sent: sent.length, refused: refused.length, parked, outage };
    } catch (error) {
      // Whatever failed, the transaction ends here (outside one, ROLLBACK only warns); a connection
      // that cannot even do that is not handed back to the pool.
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
      this.batchWindow.passEnded();
    }
  }

  /**
   * BEGIN, then the batch locked and deleted in one statement (a data-modifying WITH runs whether or
   * not the query reads it; `claimed` is read twice, so it is computed once and both see the same rows).
   */
  private async claim(client: PoolClient): Promise<OutboxRow[]> {
    const [, claimed] = (await client.query(
      `BEGIN;
       WITH claimed AS (
         SELECT id, subject, payload, attempts, created_at FROM "${this.schema}".outbox
          WHERE parked_at IS NULL ORDER BY created_at, id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED),
       taken AS (DELETE FROM "${this.schema}".outbox o USING claimed c WHERE o.id = c.id)
       SELECT id, subject, payload, attempts FROM claimed ORDER BY created_at, id`,
    )) as unknown as [QueryResult, QueryResult<OutboxRow>];
    return claimed.rows;
  }

  /**
   * After a pass that did not go out whole (its deletion rolled back): deletes the rows JetStream
   * acknowledged and counts an attempt on each it refused, parking those at `maxAttempts`, in one
   * statement that answers the rows it parked. Returns how many it parked.
   */
  private async settle(
    client: PoolClient,
    sent: string[],
    refused: { row: OutboxRow; error: unknown }[],
  ): Promise<number> {
    if (sent.length === 0 && refused.length === 0) {
      return 0;
    }
    const { rows: counted } = await client.query<{
      id: string;
      subject: string;
      attempts: number;
      parked: boolean;
    }>(
      `WITH sent AS (DELETE FROM "${this.schema}".outbox WHERE id = ANY($1::uuid[])),
       counted AS (
         UPDATE "${this.schema}".outbox o
            SET attempts = o.attempts + 1, last_error = r.error,
                parked_at = CASE WHEN o.attempts + 1 >= $4 THEN now() END
           FROM unnest($2::uuid[], $3::text[]) AS r(id, error)
          WHERE o.id = r.id AND o.parked_at IS NULL
         RETURNING o.id, o.subject, o.attempts, o.parked_at IS NOT NULL AS parked)
       SELECT * FROM counted`,
      [
        sent,
        refused.map(({ row }) => row.id),
        refused.map(({ error }) => messageOf(error)),
        this.maxAttempts,
      ],
    );
    if (sent.length > 0) {
      this.published?.inc({ schema: this.schema }, sent.length);
    }
    if (refused.length > 0) {
      this.refusals?.inc({ schema: this.schema }, refused.length);
    }
    const errors = new Map(refused.map(({ row, error }) => [row.id, messageOf(error)]));
    let parked = 0;
    for (const row of counted) {
      if (row.parked) {
        parked++;
        this.parkings?.inc({ schema: this.schema });
        // Type and id only: the payload may hold personal data.
        this.logger.error(
          { outboxId: row.id, subject: row.subject, attempts: row.attempts, err: errors.get(row.id) },
          'outbox row parked: JetStream refused it repeatedly',
        );
      }
    }
    return parked;
  }

  /**
   * Before, not on, application shutdown: the pass in hand finishes on a pool that is still open
   * (the database connections close in the shutdown hooks that run after every "before" hook).
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.pause.wake();
    this.windowPause.wake();
    await this.loop?.catch(() => undefined);
    await this.listener?.end().catch(() => undefined);
    await this.nc?.drain().catch(() => undefined);
  }
}
