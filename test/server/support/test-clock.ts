/**
 * A clock that moves only when the test moves it: give `now` to a server's rate-limit windows
 * (`rateLimit: { clock }`) and `wait` to whatever waits out a Retry-After (runHomologation's `wait`),
 * and a wait of 10 s costs no real time while the server still sees the whole window go by.
 */
export interface TestClock {
  /** Milliseconds since the epoch, as Date.now; starts at the real time. */
  now: () => number;
  /** Moves the clock forward by `ms` milliseconds (no real waiting). */
  wait: (ms: number) => Promise<void>;
}

export function testClock(start = Date.now()): TestClock {
  let at = start;
  return {
    now: () => at,
    wait: async (ms) => {
      at += Math.max(0, ms);
    },
  };
}
