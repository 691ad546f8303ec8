import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { headers, JetStreamClient, NatsConnection } from 'nats';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { connectNats, ensureAuditStream, NatsSettings, WakeableSleep } from '@app/messaging';
import { outboxChannel } from './outbox.sql';

const BATCH = 100;

interface OutboxRow {
  id: string;
  subject: string;
  payload: unknown;
  created_at: Date;
}
const IDLE_POLL_MS = 1000;
const MAX_BACKOFF_MS = 10_000;

/**
 * Moves committed outbox rows into JetStream, in order, and deletes them once the stream has
 * acknowledged them. Each message carries the event id as `Nats-Msg-Id`, so a row republished after
 * a crash between publish and delete is dropped by the stream's duplicate window, and the audit
 * consumer's primary key catches any later duplicate. Rows are claimed with SKIP LOCKED, so replicas
 * share the work. While NATS is down rows stay in the table: nothing is lost, only delayed.
 */
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private nc?: NatsConnection;
  private js?: JetStreamClient;
  private listener?: Client;
  private running = false;
  private readonly pause = new WakeableSleep();
  private loop?: Promise<void>;

  constructor(
    private readonly schema: string,
    private readonly dataSource: DataSource,
    private readonly urls: { database: string; nats: NatsSettings },
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.running = true;
    this.nc = await connectNats(this.urls.nats, `outbox-${this.schema}`);
    await ensureAuditStream(await this.nc.jetstreamManager());
    this.js = this.nc.jetstream();
    await this.listen();
    this.loop = this.run();
  }

  /** Publishes until the outbox is empty; resolves with the number of rows sent. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await this.publishBatch();
      total += sent;
      if (sent < BATCH) {
        return total;
      }
    }
  }

  private async listen(): Promise<void> {
    this.listener = new Client({ connectionString: this.urls.database });
    this.listener.on('notification', () => this.pause.wake());
    this.listener.on('error', (error) => this.logger.warn({ error: error.message }, 'outbox listener lost'));
    await this.listener.connect();
    await this.listener.query(`LISTEN "${outboxChannel(this.schema)}"`);
  }

  private async run(): Promise<void> {
    let backoff = 100;
    while (this.running) {
      try {
        const sent = await this.publishBatch();
        backoff = 100;
        if (sent === BATCH) {
          continue;
        }
        await this.pause.sleep(IDLE_POLL_MS);
      } catch (error) {
        this.logger.warn(
          { error: error instanceof Error ? error.message : String(error), backoff },
          'outbox publish failed; will retry',
        );
        await this.pause.sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  /**
   * Takes up to BATCH rows (skipping rows another relay holds), publishes them and deletes them in
   * one transaction: the rows are deleted in the statement that locks them, and the commit happens
   * only after JetStream acknowledged every message, so a failed publish rolls the delete back and
   * the rows are sent again (Nats-Msg-Id makes JetStream drop the duplicates). The messages of a
   * batch are sent back to back in their outbox order and their acknowledgements awaited together.
   */
  private async publishBatch(): Promise<number> {
    const js = this.js;
    if (!js) {
      return 0;
    }
    return this.dataSource.transaction(async (manager) => {
      // A CTE, so the driver answers rows as it does for a SELECT.
      const taken: OutboxRow[] = await manager.query(
        `WITH taken AS (
           DELETE FROM "${this.schema}".outbox WHERE id IN (
             SELECT id FROM "${this.schema}".outbox ORDER BY created_at, id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
           RETURNING id, subject, payload, created_at)
         SELECT * FROM taken`,
      );
      const rows = taken.sort(
        (a, b) => a.created_at.getTime() - b.created_at.getTime() || a.id.localeCompare(b.id),
      );
      await Promise.all(
        rows.map((row) => {
          const h = headers();
          h.set('Nats-Msg-Id', row.id);
          return js.publish(row.subject, JSON.stringify(row.payload), { msgID: row.id, headers: h });
        }),
      );
      return rows.length;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.pause.wake();
    await this.loop?.catch(() => undefined);
    await this.listener?.end().catch(() => undefined);
    await this.nc?.drain().catch(() => undefined);
  }
}
