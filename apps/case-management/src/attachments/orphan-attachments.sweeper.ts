import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AttachmentStore } from '@app/attachment-store';
import { APP_CONFIG, CaseManagementEnv, Clock } from '@app/config';
import { AttachmentsRepository } from './attachments.repository';

/** Orphans claimed per statement: short transactions whatever the backlog. */
const SWEEP_BATCH = 100;
/** Batches per run: a run ends in bounded time; the next run takes the rest. */
const MAX_BATCHES = 20;

export interface SweepCounts {
  /** Reserved uploads never committed, deleted with their bytes. */
  orphans: number;
  /** Temporary files of writes a crash interrupted. */
  unfinished: number;
}

/**
 * Deletes attachment bytes that no committed record names (CASE-6): uploads whose record never
 * committed (the client went away, the gateway crashed, the case closed meanwhile, the commit
 * failed) once ATTACHMENT_ORPHAN_GRACE_SECONDS have passed since they began, and temporary files of
 * interrupted writes as old. The grace outlasts the slowest upload, so bytes still arriving are never
 * taken. A row is claimed first (a commit then no longer completes it), its bytes deleted, then the
 * row; a crash in between leaves the claimed row for the next run. Times are the injected clock's.
 */
@Injectable()
export class OrphanAttachmentsSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OrphanAttachmentsSweeper.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly attachments: AttachmentsRepository,
    private readonly store: AttachmentStore,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: CaseManagementEnv,
  ) {}

  onApplicationBootstrap(): void {
    const intervalMs = this.config.ATTACHMENT_SWEEP_INTERVAL_SECONDS * 1000;
    if (intervalMs <= 0) {
      return;
    }
    this.timer = setInterval(() => {
      this.running ??= this.sweepOnce()
        .catch((error: unknown) =>
          this.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'sweep failed'),
        )
        .finally(() => {
          this.running = null;
        });
    }, intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    await this.running;
  }

  /**
   * One run; `tenant` limits the claimed uploads to that tenant's (a test sharing its database with
   * others, an operator cleaning up one tenant).
   */
  async sweepOnce(tenant?: string): Promise<SweepCounts> {
    const now = this.clock.now();
    const before = new Date(now.getTime() - this.config.ATTACHMENT_ORPHAN_GRACE_SECONDS * 1000);
    let orphans = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
      const claimed = await this.attachments.claimOrphans(before, now, SWEEP_BATCH, tenant);
      for (const orphan of claimed) {
        await this.store.delete(orphan.storageKey);
        await this.attachments.forget(orphan.id);
        orphans += 1;
      }
      if (claimed.length < SWEEP_BATCH) {
        break;
      }
    }
    const unfinished = await this.store.sweepUnfinished(before);
    return { orphans, unfinished };
  }
}
