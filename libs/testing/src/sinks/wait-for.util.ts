const POLL_MS = 20;

/**
 * Polls `find` until it returns a value, or rejects after `timeoutMs` with `describe()` in the
 * message. Used by the sinks: a test waits for what the outside world received, never for a time.
 */
export async function pollUntil<T>(
  find: () => T | undefined,
  timeoutMs: number,
  describe: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) {
      return found;
    }
    if (Date.now() >= deadline) {
      throw new Error(`nothing matched within ${timeoutMs} ms (${describe()})`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
