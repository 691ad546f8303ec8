import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { AttachmentStore } from '@app/attachment-store';
import { APP_CONFIG, failureMessage, PeriodicTask, CaseManagementEnv, Clock } from '@app/config';
import { AppLogger, InjectLogger } from '@app/observability';
import { sweepOrphans } from '../attachments/orphan-sweep.util';
import { KnowledgeFilesRepository } from './knowledge-files.repository';

/**
 * Deletes the bytes of uploads to articles whose record never committed (the operator's client went
 * away, the article was deleted meanwhile, the commit failed) once ATTACHMENT_ORPHAN_GRACE_SECONDS
 * have passed since they began — the rule of case attachments' sweep, on the same interval. Temporary
 * files of interrupted writes are the store's, and that sweep removes them for every owner.
 */
@Injectable()
export class KnowledgeFilesSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: AppLogger;
  private readonly task = new PeriodicTask(
    () => this.sweepOnce(),
    (error) => this.logger.warn({ err: failureMessage(error) }, 'sweep failed'),
  );

  constructor(
    private readonly files: KnowledgeFilesRepository,
    private readonly store: AttachmentStore,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: CaseManagementEnv,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: KnowledgeFilesSweeper.name });
  }

  onApplicationBootstrap(): void {
    this.task.start(this.config.ATTACHMENT_SWEEP_INTERVAL_SECONDS * 1000);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** One run; returns how many orphaned uploads were removed with their bytes. */
  async sweepOnce(): Promise<number> {
    const now = this.clock.now();
    const before = new Date(now.getTime() - this.config.ATTACHMENT_ORPHAN_GRACE_SECONDS * 1000);
    return sweepOrphans(this.files, this.store, before, now);
  }
}
