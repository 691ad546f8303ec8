/** First retry after about a second; each next one waits twice as long, up to the cap. */
export const RETRY_BASE_DELAY_MS = 1000;

/**
 * Capped exponential backoff with jitter (NOTIF-4): `attempt` is the attempt that just failed (1 for
 * the first). The delay is drawn from the upper half of the exponential step, so replicas retrying
 * after a provider outage spread out instead of all hitting it again at the same instant.
 * `random` is injectable for tests.
 */
export function retryDelayMs(
  attempt: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const exponential = RETRY_BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1);
  const step = Math.min(maxDelayMs, exponential);
  return Math.round(step / 2 + (step / 2) * random());
}
