import { percentile, round } from '../../page/stats.ts';
import type { Timing } from '../types.ts';

export function timing(samples: readonly number[]): Timing {
  const total = samples.reduce((sum, value) => sum + value, 0);
  return {
    samples: samples.length,
    p50: round(percentile(samples, 50), 2),
    p95: round(percentile(samples, 95), 2),
    max: round(Math.max(...samples), 2),
    mean: round(total / samples.length, 3),
  };
}

/** Deterministic pseudo-random numbers (mulberry32), so every run sells the same carts. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
