import { Clock } from '@app/config';

/** Default of OUTBOX_BATCH_WINDOW_MS: see OutboxBatchWindow. */
export const DEFAULT_OUTBOX_BATCH_WINDOW_MS = 20;

/**
 * When the outbox relay's next pass may start once a wake-up (a NOTIFY of committed rows) reaches
 * it. Every pass costs a transaction and its round trips whatever it carries, and under load each
 * wake-up brings only the few rows committed since the last pass; on a machine whose CPU is the
 * limit that overhead is what the relay spends. So a wake-up that comes within `windowMs` of the end
 * of the previous pass (the relay is busy) waits until the window has passed, and the rows committed
 * meanwhile go in the same pass; a wake-up after a quiet spell (no pass in the last window) is
 * answered at once, so a lone fact is never held back. The wait is bounded by the window, and the
 * relay never waits between passes that fill a whole batch (more rows are already there).
 *
 * Time is the injected Clock's, so the rule is tested at its boundaries without sleeping.
 */
export class OutboxBatchWindow {
  /** End of the latest pass, in the clock's milliseconds; undefined before the first. */
  private lastPassEndedAt?: number;

  constructor(
    private readonly clock: Clock,
    /** 0 turns coalescing off: every wake-up is answered at once. */
    private readonly windowMs: number = DEFAULT_OUTBOX_BATCH_WINDOW_MS,
  ) {}

  /** Called as each pass ends, whatever it took. */
  passEnded(): void {
    this.lastPassEndedAt = this.clock.now().getTime();
  }

  /**
   * Milliseconds to wait before the pass a wake-up asks for: what is left of the window opened by
   * the previous pass's end, 0 when that window has closed (or there was no pass yet). Never more
   * than the window, even when the clock has gone back.
   */
  delayBeforePass(): number {
    if (this.lastPassEndedAt === undefined || this.windowMs <= 0) {
      return 0;
    }
    const sinceLastPass = this.clock.now().getTime() - this.lastPassEndedAt;
    if (sinceLastPass >= this.windowMs) {
      return 0;
    }
    return Math.min(this.windowMs, this.windowMs - sinceLastPass);
  }
}
