import { once } from 'node:events';
import { Writable } from 'node:stream';

/**
 * Waits until `out` has room again (or is gone). A closed or failed stream ends the wait with an
 * error, so an export whose client went away stops reading pages instead of writing into nothing.
 */
export async function roomIn(out: Writable): Promise<void> {
  if (out.destroyed || out.writableEnded) {
    throw new Error('export stream closed');
  }
  if (!out.writableNeedDrain) {
    return;
  }
  const closed = once(out, 'close').then(() => {
    throw new Error('export stream closed');
  });
  await Promise.race([once(out, 'drain'), closed]);
}
