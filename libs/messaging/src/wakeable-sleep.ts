/**
 * A pause that something else can cut short: a background loop (the outbox relay, the audit
 * consumer) idles or backs off with it, and a notification or a shutdown wakes it at once instead of
 * waiting out the timer. A wake that comes while the loop is busy is kept, so the next sleep returns
 * at once: a row committed during a publish is not left waiting for the idle poll.
 */
export class WakeableSleep {
  private wakeCurrent?: () => void;
  private pendingWake = false;

  sleep(ms: number): Promise<void> {
    if (this.pendingWake) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeCurrent = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeCurrent = done;
    });
  }

  wake(): void {
    if (this.wakeCurrent) {
      this.wakeCurrent();
    } else {
      this.pendingWake = true;
    }
  }
}
