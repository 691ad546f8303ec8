import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AttachmentStore } from '@app/attachment-store';
import { APP_CONFIG, failureMessage, PeriodicTask, CaseManagementEnv, Clock } from '@app/config';
import { sweepOrphans } from '../attachments/orphan-sweep.util';
import { KnowledgeFilesRepository } from './knowledge-files.repository';

/**
 * Deletes the bytes of uploads to articles whose record never committed (the operator's client went
 * away, the article was deleted meanwhile, the commit failed) once ATTACHMENT_ORPHAN_GRACE_SECONDS
 * have passed since they began — the rule of case attachments' sweep, on the same interval. Temporary
 * files of interrupted writes are the store's, and that sweep removes them for every owner.
 */
@Injectable()
export class KnowledgeFilesSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(KnowledgeFilesSweeper.name);
  private readonly task = new PeriodicTask(
    () => this.sweepOnce(),
    (error) => this.logger.warn({ error: failureMessage(error) }, 'sweep failed'),
  );

  constructor(
    private readonly files: KnowledgeFilesRepository,
    private readonly store: AttachmentStore,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: CaseManagementEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.ATTACHMENT_SWEEP_INTERVAL_SECONDS * 1000);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** One run; returns how many orphaned uploads were removed with their bytes. */
  async sweepOnce(): Promise<number> {
    const now = this.clock.now();
    const before = new Date(now.getTime() - this.config.ATTACHMENT_ORPHAN_GRACE_SECONDS * 1000);
    return sweepOrphans(this.files, this.store, before, now);
  }
}
