import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';

let collect: (() => void) | undefined;

/**
 * A full garbage collection, so a memory figure holds only what is live. Jest runs without
 * `--expose-gc`; the flag is set on first use, so only the tests that measure memory pay for it.
 */
export function fullGc(): void {
  if (collect === undefined) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
}

/** One full collection a second at most, and never more than a tenth of the time. */
const COLLECT_EVERY_MS = 1000;
const COLLECT_TIME_SHARE = 10;

export interface RssPeakSampler {
  /** Stops sampling and answers the peak resident set size, in bytes. */
  stop(): number;
  /** How many full collections ran while sampling, and the longest one. */
  collections(): { count: number; longestMs: number };
}

/**
 * Samples this process's resident set size every 20 ms until stopped, and answers the peak. V8
 * collects when it likes, and a busy heap (or the buffers it has not yet freed) may hold tens of MB
 * of garbage: full collections while sampling make the peak what the work holds, not when V8 last
 * tidied up. A full collection costs time in proportion to the live heap, and a Jest worker that has
 * run many files may hold a large one: the next collection waits ten times as long as the last one
 * took, so collecting never starves the work being measured (nor the other worker on the cores).
 */
export function rssPeakSampler(): RssPeakSampler {
  let peak = process.memoryUsage.rss();
  let count = 0;
  let longestMs = 0;
  const sampling = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  let collecting: NodeJS.Timeout;
  const collectAfter = (delayMs: number): void => {
    collecting = setTimeout(() => {
      const started = performance.now();
      fullGc();
      const tookMs = performance.now() - started;
      count += 1;
      longestMs = Math.max(longestMs, tookMs);
      collectAfter(Math.max(COLLECT_EVERY_MS, tookMs * COLLECT_TIME_SHARE));
    }, delayMs);
  };
  collectAfter(COLLECT_EVERY_MS);
  return {
    stop: () => {
      clearInterval(sampling);
      clearTimeout(collecting);
      return Math.max(peak, process.memoryUsage.rss());
    },
    collections: () => ({ count, longestMs }),
  };
}
