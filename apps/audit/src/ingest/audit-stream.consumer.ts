import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  AckPolicy,
  Consumer,
  ConsumerConfig,
  DeliverPolicy,
  JetStreamManager,
  JsMsg,
  nanos,
  NatsConnection,
  NatsError,
} from 'nats';
import { Gauge } from 'prom-client';
import { APP_CONFIG } from '@app/config';
import { AUDIT_STREAM, AUDIT_SUBJECT_PREFIX } from '@app/contracts';
import { auditStreamSettings, connectNats, ensureAuditStream, WakeableSleep } from '@app/messaging';
import { AppLogger, InjectLogger, Metrics } from '@app/observability';
import { AuditServiceEnv } from '../audit-env.schema';
import { CheckpointPublisher } from '../checkpoint/checkpoint.publisher';
import { AuditIngestService, IngestOutcome } from './audit-ingest.service';
import { IngestLease } from './ingest-lease';

/**
 * Messages asked for per pull request, stored with one INSERT: the chain lock is then taken once per
 * batch instead of once per event, which is what takes ingest from hundreds to thousands of events
 * per second and lets replicas add throughput instead of queueing on the lock.
 */
const BATCH = 1000;
/**
 * Pull loops per replica: while one lane's batch is in the database (or waits for the chain head),
 * the other fetches, parses and hashes the next one, and acks the last, so a replica's NATS and CPU
 * work overlaps its inserts instead of alternating with them.
 */
const LANES = 2;
/**
 * How long one pull request waits for messages: a pull ends when it has BATCH messages or at this
 * time (the client's least), so it is also the longest a lone event waits before it is stored, and
 * the longest a shutdown waits for a batch.
 */
const FETCH_EXPIRES_MS = 1000;
/**
 * Time the stream gives one message before handing it to another replica: short, so a crashed
 * replica's messages come back in seconds. A batch whose store takes longer (a slow database) is
 * kept by a heartbeat (`working()`) every half of it; one redelivered anyway is stored once, by its id.
 */
const ACK_WAIT_MS = 5_000;
/** A message nak'ed after a database failure comes back after 1 s, 2 s, 4 s … at most 1 minute. */
const MAX_RETRY_DELAY_MS = 60_000;
const MAX_RESTART_BACKOFF_MS = 10_000;
/** How often a standby replica tries for the ingest lease (IngestLease). */
const LEASE_RETRY_MS = 1000;
/** JetStream API error code "consumer not found". */
const CONSUMER_NOT_FOUND = 10014;

/**
 * Reads the AUDIT stream into the trail (AUDIT-1) through a durable pull consumer. The replica
 * holding the ingest lease pulls; the others stand by and take over when it goes (IngestLease says
 * why one at a time). Should two ever pull at once (a holder finishing its last batch after its
 * lease session was lost), each message still goes to one of them; a message is acked
 * only after its row is committed, so a crash, a database outage or a stopped service only delays
 * it (the stream keeps it and redelivers it after ACK_WAIT_MS, with no limit on redeliveries).
 * A payload that can never be stored is terminated at once, so it cannot hold up the others.
 */
@Injectable()
export class AuditStreamConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  // Structured lines with type and id only: an event's actor (IP, user agent) never goes to the log.
  private readonly logger: AppLogger;
  private nc?: NatsConnection;
  private running = false;
  private loop?: Promise<void>;
  private readonly pause = new WakeableSleep();
  private readonly lease: IngestLease;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AuditServiceEnv,
    private readonly ingest: AuditIngestService,
    private readonly metrics: Metrics,
    private readonly checkpoints: CheckpointPublisher,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: AuditStreamConsumer.name });
    // One per registry (an app started again in the same process finds it there).
    const held =
      (metrics.registry.getSingleMetric('mamori_audit_ingest_lease_held') as Gauge | undefined) ??
      new Gauge({
        name: 'mamori_audit_ingest_lease_held',
        help: 'Whether this replica holds the ingest lease and stores the stream (1) or stands by (0)',
        registers: [metrics.registry],
      });
    held.set(0);
    this.lease = new IngestLease(
      config.AUDIT_DATABASE_URL ?? config.DATABASE_URL,
      config.AUDIT_CONSUMER_NAME,
      this.logger,
      (holding) => {
        held.set(holding ? 1 : 0);
        this.logger.info(
          { consumer: config.AUDIT_CONSUMER_NAME },
          holding ? 'holding the ingest lease: storing the audit stream' : 'ingest lease given up or lost',
        );
      },
    );
  }

  /** Whether this replica stores the stream now (it holds the ingest lease). */
  get storing(): boolean {
    return this.lease.held;
  }

  async onApplicationBootstrap(): Promise<void> {
    const ingestUser = this.config.AUDIT_INGEST_NATS_USER;
    this.nc = await connectNats(
      ingestUser
        ? { ...this.config, NATS_USER: ingestUser, NATS_PASSWORD: this.config.AUDIT_INGEST_NATS_PASSWORD }
        : this.config,
      `audit-${this.config.AUDIT_CONSUMER_NAME}`,
    );
    const jsm = await this.nc.jetstreamManager();
    await ensureAuditStream(jsm, auditStreamSettings(this.config));
    await this.ensureConsumer(jsm);
    this.registerLagMetrics(jsm);
    this.running = true;
    this.loop = this.run();
    this.logger.info({ consumer: this.config.AUDIT_CONSUMER_NAME }, 'consuming the audit stream');
  }

  /**
   * The consumer's lag, read from JetStream at scrape time: messages in the stream not yet
   * delivered, and delivered but not yet acknowledged (stored). A growing lag means the trail falls
   * behind; with a size cap on the stream it is the alert to heed before the oldest facts go.
   */
  private registerLagMetrics(jsm: JetStreamManager): void {
    const registry = this.metrics.registry;
    if (registry.getSingleMetric('mamori_audit_consumer_pending_messages')) {
      return;
    }
    const name = this.config.AUDIT_CONSUMER_NAME;
    const pending: Gauge = new Gauge({
      name: 'mamori_audit_consumer_pending_messages',
      help: 'AUDIT stream messages the audit consumer has not been delivered yet',
      labelNames: ['consumer'],
      registers: [registry],
      collect: async () => {
        const info = await jsm.consumers.info(AUDIT_STREAM, name).catch(() => undefined);
        if (info) {
          pending.set({ consumer: name }, info.num_pending);
          ackPending.set({ consumer: name }, info.num_ack_pending);
        }
      },
    });
    const ackPending: Gauge = new Gauge({
      name: 'mamori_audit_consumer_ack_pending_messages',
      help: 'AUDIT stream messages delivered to the audit consumer and not yet stored',
      labelNames: ['consumer'],
      registers: [registry],
    });
  }

  /** Whether the NATS connection answers a ping now (readiness). */
  async natsUp(): Promise<boolean> {
    const nc = this.nc;
    if (!nc || nc.isClosed()) {
      return false;
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), 1000);
    });
    try {
      return await Promise.race([
        nc.flush().then(
          () => true,
          () => false,
        ),
        timedOut,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops pulling, lets the message in hand finish (and be acked), hands the rest back, closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.pause.wake();
    await this.loop?.catch(() => undefined);
    await this.lease.release();
    await this.nc?.drain().catch(() => undefined);
  }

  private async ensureConsumer(jsm: JetStreamManager): Promise<void> {
    const name = this.config.AUDIT_CONSUMER_NAME;
    const wanted: Partial<ConsumerConfig> = {
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(ACK_WAIT_MS),
      // Never give up on a fact: a message failing for a database outage is retried until it passes.
      max_deliver: -1,
      // Enough for four replicas, each with a full batch in every lane.
      max_ack_pending: 4 * LANES * BATCH,
    };
    try {
      const info = await jsm.consumers.info(AUDIT_STREAM, name);
      if (
        info.config.ack_wait !== wanted.ack_wait ||
        info.config.max_deliver !== wanted.max_deliver ||
        info.config.max_ack_pending !== wanted.max_ack_pending
      ) {
        await jsm.consumers.update(AUDIT_STREAM, name, wanted);
      }
      return;
    } catch (error) {
      if (!(error instanceof NatsError) || error.api_error?.err_code !== CONSUMER_NOT_FOUND) {
        throw error;
      }
    }
    try {
      await jsm.consumers.add(AUDIT_STREAM, {
        ...wanted,
        durable_name: name,
        filter_subject: `${AUDIT_SUBJECT_PREFIX}.>`,
        deliver_policy: this.config.AUDIT_CONSUMER_START === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
      });
    } catch (error) {
      // Another replica created it between our two calls.
      await jsm.consumers.info(AUDIT_STREAM, name).catch(() => {
        throw error;
      });
    }
  }

  private async run(): Promise<void> {
    const nc = this.nc;
    let backoff = 250;
    let restarting = false;
    let standingBy = false;
    while (this.running && nc) {
      try {
        if (!(await this.lease.acquire())) {
          if (!standingBy) {
            this.logger.info(
              { consumer: this.config.AUDIT_CONSUMER_NAME },
              'standing by: another replica stores the stream',
            );
            standingBy = true;
          }
          await this.pause.sleep(LEASE_RETRY_MS);
          continue;
        }
        standingBy = false;
        if (restarting) {
          // The consumer may have been deleted by an operator, or the stream restored: recreate it.
          await this.ensureConsumer(await nc.jetstreamManager());
        }
        const consumer = await nc.jetstream().consumers.get(AUDIT_STREAM, this.config.AUDIT_CONSUMER_NAME);
        await this.pullUntilStopped(consumer, () => {
          backoff = 250;
        });
      } catch (error) {
        this.logger.warn({ err: errorMessage(error), backoff }, 'audit stream consumer failed; restarting');
        restarting = true;
        await this.pause.sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_RESTART_BACKOFF_MS);
      }
    }
  }

  /**
   * Bounded fetches rather than an endless `consume()`: when the service stops, the batch in hand is
   * let run out (at most FETCH_EXPIRES_MS), so every message the server already sent reaches us and
   * is handed back with a nak, instead of being dropped and waiting out the ack time elsewhere.
   */
  private async pullUntilStopped(consumer: Consumer, onMessage: () => void): Promise<void> {
    // A lane that fails stops the others, so the restart begins from no pull at all.
    const lanes = { failed: false };
    const results = await Promise.allSettled(
      Array.from({ length: LANES }, () =>
        this.pullLane(consumer, onMessage, lanes).catch((error: unknown) => {
          lanes.failed = true;
          throw error;
        }),
      ),
    );
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) {
      throw failure.reason;
    }
  }

  private async pullLane(
    consumer: Consumer,
    onMessage: () => void,
    lanes: { failed: boolean },
  ): Promise<void> {
    // A lost lease ends the pull after the batch in hand: another replica may be storing by now.
    while (this.running && !lanes.failed && this.lease.held) {
      const batch = await consumer.fetch({ max_messages: BATCH, expires: FETCH_EXPIRES_MS });
      const messages: JsMsg[] = [];
      for await (const msg of batch) {
        messages.push(msg);
      }
      if (messages.length === 0) {
        continue;
      }
      if (!this.running || lanes.failed) {
        // Delayed past this fetch's end, or the server would hand them straight back to a stopping
        // fetch; then they go to whichever replica pulls next.
        for (const msg of messages) {
          msg.nak(FETCH_EXPIRES_MS + 1000);
        }
        continue;
      }
      await this.handleBatch(messages);
      onMessage();
    }
  }

  /** Stores a batch, then acks it: a message is acked only once its row is committed. */
  private async handleBatch(messages: JsMsg[]): Promise<void> {
    let outcomes: IngestOutcome[];
    const heartbeat = setInterval(() => messages.forEach((msg) => msg.working()), ACK_WAIT_MS / 2);
    try {
      outcomes = await this.ingest.ingestBatch(messages.map((msg) => msg.data));
    } catch (error) {
      for (const msg of messages) {
        const redeliveries = msg.info.redeliveryCount;
        const retryInMs = Math.min(1000 * 2 ** Math.min(redeliveries, 16), MAX_RETRY_DELAY_MS);
        msg.nak(retryInMs);
      }
      this.logger.warn(
        { messages: messages.length, firstStreamSeq: messages[0].seq, err: errorMessage(error) },
        'audit events not stored; will retry',
      );
      this.metrics.events.inc({ name: 'audit.retried' }, messages.length);
      return;
    } finally {
      clearInterval(heartbeat);
    }
    // Acks go out as they are made (the client writes them in one go at the next flush), and the
    // counters move once per batch rather than once per message.
    const debug = this.logger.isLevelEnabled('debug');
    let stored = 0;
    let duplicates = 0;
    messages.forEach((msg, i) => {
      const outcome = outcomes[i];
      this.settle(msg, outcome, debug);
      stored += outcome.kind === 'stored' ? 1 : 0;
      duplicates += outcome.kind === 'duplicate' ? 1 : 0;
    });
    if (stored > 0) {
      this.metrics.events.inc({ name: 'audit.stored' }, stored);
      this.checkpoints.noteStored(stored);
    }
    if (duplicates > 0) {
      this.metrics.events.inc({ name: 'audit.duplicate' }, duplicates);
    }
  }

  private settle(msg: JsMsg, outcome: IngestOutcome, debug: boolean): void {
    switch (outcome.kind) {
      case 'rejected':
        // Where it is wrong, never what it says: a malformed payload may carry anything.
        this.logger.warn(
          { subject: msg.subject, streamSeq: msg.seq, problems: outcome.problems },
          'malformed audit event terminated',
        );
        this.metrics.events.inc({ name: 'audit.rejected' });
        // No reason text: NATS servers before 2.10 do not read `+TERM <reason>` as a terminate.
        msg.term();
        return;
      case 'duplicate':
        msg.ack();
        if (debug) {
          this.logger.debug({ type: outcome.event.type, id: outcome.event.id }, 'audit event already stored');
        }
        return;
      case 'stored':
        msg.ack();
        if (!outcome.registeredType) {
          this.logger.warn(
            { type: outcome.event.type, id: outcome.event.id },
            'stored an audit event of an unregistered type',
          );
        }
        if (debug) {
          this.logger.debug(
            { type: outcome.event.type, id: outcome.event.id, seq: outcome.seq },
            'audit event stored',
          );
        }
        return;
    }
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
