import { Queue, Worker } from 'bullmq';
import { NotificationLogger } from '../notification.logger';

/** How often the code queue's backlog is looked at. */
export const BULK_YIELD_INTERVAL_MS = 200;

/**
 * Holds a bulk worker back while codes wait (NOTIF-1). The code and bulk queues have workers of their
 * own, but they share the process's CPU and the database: when more codes wait than the code worker
 * takes at once, the bulk worker stops taking jobs (those it holds finish) until the backlog is gone.
 * Each replica decides for itself, on the shared queue's count.
 */
export class BulkYield {
  private timer: NodeJS.Timeout | null = null;
  private checking = false;
  private yielding = false;

  constructor(
    private readonly codeQueue: Queue,
    private readonly bulkWorker: Pick<Worker, 'pause' | 'resume' | 'name'>,
    /** Codes waiting beyond this make the bulk worker yield: the code worker's own concurrency. */
    private readonly threshold: number,
    private readonly logger: NotificationLogger,
  ) {}

  start(intervalMs = BULK_YIELD_INTERVAL_MS): void {
    this.timer = setInterval(() => void this.check(), intervalMs);
    this.timer.unref();
  }

  async check(): Promise<void> {
    if (this.checking) {
      return;
    }
    this.checking = true;
    try {
      const counts = await this.codeQueue.getJobCounts('waiting', 'prioritized');
      const backlog = (counts.waiting ?? 0) + (counts.prioritized ?? 0);
      if (backlog > this.threshold && !this.yielding) {
        this.yielding = true;
        // Not waiting for the bulk jobs in progress: they finish on their own.
        await this.bulkWorker.pause(true);
        this.logger.info({ queue: this.bulkWorker.name, backlog }, 'bulk sends yield to waiting codes');
      } else if (backlog <= this.threshold && this.yielding) {
        this.yielding = false;
        // Not awaited: it may run the worker's loop until the next pause.
        this.bulkWorker.resume()?.catch(() => undefined);
        this.logger.info({ queue: this.bulkWorker.name }, 'bulk sends resumed');
      }
    } catch {
      // Redis away: the workers wait for it anyway; the next tick looks again.
    } finally {
      this.checking = false;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    await this.codeQueue.close().catch(() => undefined);
  }
}
