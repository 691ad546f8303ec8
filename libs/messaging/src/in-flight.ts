/**
 * The NATS requests this process is handling now, so a shutdown can wait for them: the draining
 * server counts each from its arrival until its reply has left, and waits for zero before closing
 * the connection.
 */
export class InFlightRequests {
  private count = 0;
  private waiters: (() => void)[] = [];

  get size(): number {
    return this.count;
  }

  enter(): void {
    this.count += 1;
  }

  leave(): void {
    this.count = Math.max(0, this.count - 1);
    if (this.count === 0) {
      this.waiters.splice(0).forEach((wake) => wake());
    }
  }

  /** Resolves true when none is left, false if `ms` passed first. */
  idle(ms: number): Promise<boolean> {
    if (this.count === 0) {
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}

/** One per process: a service's NATS server counts into it. */
export const IN_FLIGHT_REQUESTS = new InFlightRequests();
