/** Tuning of the BullMQ workers of one process. */
export interface WorkerOptions {
  /** Jobs one process works on at once, per queue. Replicas add theirs (NOTIF-1). */
  concurrency: number;
}

export const NOTIFICATION_WORKER_OPTIONS = Symbol('NOTIFICATION_WORKER_OPTIONS');

/** A few at a time: sends are I/O-bound, and a stuck provider should not hold every slot. */
export const DEFAULT_WORKER_OPTIONS: WorkerOptions = { concurrency: 5 };
