import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { AttachmentStore } from '@app/attachment-store';
import { APP_CONFIG, failureMessage, PeriodicTask, CaseManagementEnv, Clock } from '@app/config';
import { AppLogger, InjectLogger } from '@app/observability';
import { AttachmentsRepository } from './attachments.repository';
import { sweepOrphans } from './orphan-sweep.util';

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
export class OrphanAttachmentsSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: AppLogger;
  private readonly task = new PeriodicTask(
    () => this.sweepOnce(),
    (error) => this.logger.warn({ err: failureMessage(error) }, 'sweep failed'),
  );

  constructor(
    private readonly attachments: AttachmentsRepository,
    private readonly store: AttachmentStore,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: CaseManagementEnv,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: OrphanAttachmentsSweeper.name });
  }

  onApplicationBootstrap(): void {
    this.task.start(this.config.ATTACHMENT_SWEEP_INTERVAL_SECONDS * 1000);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /**
   * One run; `tenant` limits the claimed uploads to that tenant's (a test sharing its database with
   * others, an operator cleaning up one tenant).
   */
  async sweepOnce(tenant?: string): Promise<SweepCounts> {
    const now = this.clock.now();
    const before = new Date(now.getTime() - this.config.ATTACHMENT_ORPHAN_GRACE_SECONDS * 1000);
    const orphans = await sweepOrphans(
      {
        claimOrphans: (from, at, limit) => this.attachments.claimOrphans(from, at, limit, tenant),
        forget: (id) => this.attachments.forget(id),
      },
      this.store,
      before,
      now,
    );
    const unfinished = await this.store.sweepUnfinished(before);
    return { orphans, unfinished };
  }
}
