/**
 * Retry schedule of a failed delivery: exponential from 30 s, doubling per failed attempt, at most 6 h
 * apart, with "equal jitter" (a random point in the upper half of the step), so receivers that failed
 * together are not retried in one burst. Over the 3-day window (RETRY_WINDOW_SECONDS) that is about 20
 * attempts: ~30 s, 1 min, 2, 4, 8, 16, 32 min, 1 h, 2 h, 4 h, then every ~6 h; the last one at the
 * window's end.
 */
export const FIRST_RETRY_SECONDS = 30;
export const MAX_RETRY_SECONDS = 6 * 3600;

/**
 * Seconds to wait after the `failedAttempts`-th failure (1 = the first).
 * @param random a number in [0, 1) (injectable for tests)
 */
export function retryDelaySeconds(failedAttempts: number, random: () => number = Math.random): number {
  const step = Math.min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** Math.max(0, Math.min(failedAttempts - 1, 30)));
  return step / 2 + (random() * step) / 2;
}
