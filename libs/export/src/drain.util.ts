import { once } from 'node:events';
import { Writable } from 'node:stream';

/**
 * Waits until `out` has room again (or is gone). A closed or failed stream ends the wait with an
 * error, so an export whose client went away stops reading pages instead of writing into nothing.
 * Both listeners are removed once one fires: an export waits thousands of times.
 */
export async function roomIn(out: Writable): Promise<void> {
  if (out.destroyed || out.writableEnded) {
    throw new Error('export stream closed');
  }
  if (!out.writableNeedDrain) {
    return;
  }
  const done = new AbortController();
  const drained = once(out, 'drain', { signal: done.signal }).then(() => 'drain' as const);
  const closed = once(out, 'close', { signal: done.signal }).then(() => 'close' as const);
  try {
    if ((await Promise.race([drained, closed])) === 'close') {
      throw new Error('export stream closed');
    }
  } finally {
    done.abort();
    // The loser rejects with an AbortError: expected, and not worth a warning.
    drained.catch(() => undefined);
    closed.catch(() => undefined);
  }
}
