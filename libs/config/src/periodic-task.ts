/**
 * A piece of upkeep every replica runs on a timer (sweeps, pruning): one run at a time — a slow run
 * makes the next tick wait for the one after — a failed run reported and tried again at the next
 * tick, and on shutdown the timer stopped and the run in progress awaited. The timer never keeps the
 * process alive on its own.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly run: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Starts the ticks; an interval of 0 (or less) turns the task off. */
  start(intervalMs: number): void {
    if (intervalMs <= 0 || this.timer) {
      return;
    }
    this.timer = setInterval(() => {
      this.running ??= this.run()
        .catch((error: unknown) => this.onError(error))
        .finally(() => {
          this.running = null;
        });
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    await this.running;
  }
}

/** The message of a failed run, for a log line (never the error object, which may hold data). */
export function failureMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
