import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { headers, JetStreamManager, nanos, NatsConnection, RetentionPolicy, StorageType } from 'nats';
import { CheckpointSigner } from '@app/audit-chain';
import { APP_CONFIG, Clock } from '@app/config';
import {
  AUDIT_CHECKPOINT_STREAM,
  AUDIT_CHECKPOINT_SUBJECT_PREFIX,
  AuditCheckpoint,
  auditCheckpointSubject,
} from '@app/contracts';
import { connectNats } from '@app/messaging';
import { AppLogger, InjectLogger } from '@app/observability';
import { AuditServiceEnv } from '../audit-env.schema';
import { AuditEventRepository } from '../store/audit-event.repository';

/**
 * Signs the chain's head every AUDIT_CHECKPOINT_EVERY records or AUDIT_CHECKPOINT_SECONDS seconds
 * and publishes it into a stream of its own (AUDIT-3), outside the database: whoever rewrites the
 * table cannot rewrite what was signed. Every replica may publish; the message id is the head's
 * position, so two replicas stating the same head store one checkpoint.
 */
@Injectable()
export class CheckpointPublisher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: AppLogger;
  readonly signer: CheckpointSigner;
  private nc?: NatsConnection;
  private timer?: NodeJS.Timeout;
  private storedSince = 0;
  private last: AuditCheckpoint | null = null;
  private inFlight?: Promise<AuditCheckpoint | null>;
  /** Set at shutdown: the consumer's last batch may still report records, but no new checkpoint starts. */
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AuditServiceEnv,
    private readonly repository: AuditEventRepository,
    private readonly clock: Clock,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: CheckpointPublisher.name });
    this.signer = new CheckpointSigner(config.AUDIT_SIGNING_KEY);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.nc = await connectNats(this.config, 'audit-checkpoints');
    await ensureCheckpointStream(await this.nc.jetstreamManager());
    this.timer = setInterval(() => void this.checkpoint(), this.config.AUDIT_CHECKPOINT_SECONDS * 1000);
    this.timer.unref();
  }

  /** Called by the consumer after records were committed. */
  noteStored(records: number): void {
    this.storedSince += records;
    if (this.storedSince >= this.config.AUDIT_CHECKPOINT_EVERY) {
      void this.checkpoint();
    }
  }

  /** Signs and publishes the current head; the last one published here when the head has not moved. */
  checkpoint(): Promise<AuditCheckpoint | null> {
    if (this.stopping) {
      return Promise.resolve(this.last);
    }
    // One at a time: a burst of records must not start one checkpoint per batch.
    this.inFlight ??= this.publishHead()
      .catch((error: unknown) => {
        this.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'checkpoint failed',
        );
        return null;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  async beforeApplicationShutdown(): Promise<void> {
    // A checkpoint begun after this would read the head while the process is going away, and
    // publish it after its hooks have finished: whatever follows (a restart, a migration) would
    // then meet a checkpoint nobody waited for.
    this.stopping = true;
    clearInterval(this.timer);
    await this.inFlight;
    await this.nc?.drain().catch(() => undefined);
  }

  private async publishHead(): Promise<AuditCheckpoint | null> {
    const nc = this.nc;
    this.storedSince = 0;
    const head = await this.repository.head();
    if (!nc || !head) {
      return null;
    }
    if (head.seq === this.last?.headSeq) {
      return this.last;
    }
    const checkpoint = this.signer.sign({
      count: head.count,
      headSeq: head.seq,
      headHash: head.hash,
      time: this.clock.now().toISOString(),
    });
    const msgID = `checkpoint-${head.seq}-${this.signer.keyId}`;
    const h = headers();
    h.set('Nats-Msg-Id', msgID);
    await nc
      .jetstream()
      .publish(auditCheckpointSubject(head.seq), JSON.stringify(checkpoint), { msgID, headers: h });
    this.last = checkpoint;
    this.logger.info({ count: checkpoint.count, headSeq: checkpoint.headSeq }, 'audit checkpoint published');
    return checkpoint;
  }
}

/**
 * The checkpoints' own stream: file storage, kept without an age limit (a checkpoint is what a
 * later verification of old records relies on), duplicates within 10 minutes dropped.
 */
export async function ensureCheckpointStream(jsm: JetStreamManager): Promise<void> {
  try {
    await jsm.streams.info(AUDIT_CHECKPOINT_STREAM);
  } catch {
    try {
      await jsm.streams.add({
        name: AUDIT_CHECKPOINT_STREAM,
        subjects: [`${AUDIT_CHECKPOINT_SUBJECT_PREFIX}.>`],
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        duplicate_window: nanos(10 * 60 * 1000),
      });
    } catch (error) {
      // Another replica created it between our two calls.
      await jsm.streams.info(AUDIT_CHECKPOINT_STREAM).catch(() => {
        throw error;
      });
    }
  }
}
