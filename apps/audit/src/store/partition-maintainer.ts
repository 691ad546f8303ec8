import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppLogger, InjectLogger } from '@app/observability';
import { AuditEventRepository } from './audit-event.repository';

/** How often the next months' partitions are made (they are made three months ahead). */
const EVERY_MS = 6 * 60 * 60 * 1000;

/**
 * Keeps the monthly partitions of the trail made ahead of time, through the owner's
 * `audit.ensure_event_partitions()`: the runtime role gets them without any DDL right. At start (so
 * a new month never finds its partition missing after a long stop) and every few hours. A failure is
 * logged and retried at the next round: rows of a month without a partition go to the default one,
 * nothing is refused.
 */
@Injectable()
export class PartitionMaintainer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: AppLogger;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly repository: AuditEventRepository,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: PartitionMaintainer.name });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ensure();
    this.timer = setInterval(() => void this.ensure(), EVERY_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async ensure(): Promise<void> {
    try {
      const created = await this.repository.ensurePartitions();
      if (created > 0) {
        this.logger.info({ created }, 'audit partitions created');
      }
    } catch (error) {
      this.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'audit partitions not ensured; retrying later',
      );
    }
  }
}
