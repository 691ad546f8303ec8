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

/**
 * Samples this process's resident set size every 20 ms until stopped, and answers the peak. V8
 * collects when it likes, and a busy heap (or the buffers it has not yet freed) may hold tens of MB
 * of garbage: a full collection every second makes the peak what the work holds, not when V8 last
 * tidied up.
 */
export function rssPeakSampler(): { stop: () => number } {
  let peak = process.memoryUsage.rss();
  const sampling = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const collecting = setInterval(fullGc, 1000);
  return {
    stop: () => {
      clearInterval(sampling);
      clearInterval(collecting);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}
