import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ThrottledTask } from '../../sync/client/pending.ts';

/**
 * The pending-upload count's throttle on fake timers: time only moves when the test says so, so the
 * runs land on exact instants instead of between bounds a slow machine might miss.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('pending-upload count throttle', () => {
  let t0 = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    t0 = Date.now();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs at most once per interval and never twice at a time, however often it is asked', async () => {
    let running = 0;
    let maxRunning = 0;
    const starts: number[] = [];
    const task = new ThrottledTask(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      starts.push(Date.now() - t0);
      await sleep(30);
      running--;
    }, 200);
    // Asked every 5 ms for half a second, then left alone.
    for (let elapsed = 0; elapsed < 500; elapsed += 5) {
      task.request();
      await vi.advanceTimersByTimeAsync(5);
    }
    await vi.advanceTimersByTimeAsync(1000);
    task.stop();
    expect(maxRunning).toBe(1);
    // At once, then every 200 ms while asked; the asks during the run at 400 bring one more at 600, and that is all.
    expect(starts).toEqual([0, 200, 400, 600]);
  });

  it('a request during a run is not lost: the count runs again afterwards', async () => {
    const starts: number[] = [];
    const task = new ThrottledTask(async () => {
      starts.push(Date.now() - t0);
      await sleep(20);
    }, 50);
    task.request();
    await vi.advanceTimersByTimeAsync(5);
    expect(starts).toEqual([0]);
    task.request();
    await vi.advanceTimersByTimeAsync(1000);
    expect(starts).toEqual([0, 50]);
    // now() runs at once, interval or not (send now).
    const done = task.now();
    await vi.advanceTimersByTimeAsync(20);
    await done;
    expect(starts).toEqual([0, 50, 1005]);
    task.stop();
  });

  it('while held (an upload round is running) a due count waits, and runs once when released; now() does not wait', async () => {
    const starts: number[] = [];
    let held = true;
    const task = new ThrottledTask(
      async () => {
        starts.push(Date.now() - t0);
      },
      50,
      () => held,
    );
    // Asked many times during the round: nothing runs.
    for (let elapsed = 0; elapsed < 300; elapsed += 10) {
      task.request();
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(starts).toEqual([]);
    // The round ends: exactly one count, at once.
    held = false;
    task.release();
    await vi.advanceTimersByTimeAsync(1000);
    expect(starts).toEqual([300]);
    // A release with nothing due runs nothing.
    task.release();
    await vi.advanceTimersByTimeAsync(1000);
    expect(starts).toEqual([300]);
    // Held again, a request waits; a request once the hold is over runs even without release().
    held = true;
    task.request();
    await vi.advanceTimersByTimeAsync(100);
    expect(starts).toEqual([300]);
    held = false;
    task.request();
    await vi.advanceTimersByTimeAsync(100);
    expect(starts).toEqual([300, 2400]);
    // now() (send now, awaitInSync) counts even while held.
    held = true;
    await task.now();
    expect(starts).toEqual([300, 2400, 2500]);
    task.stop();
  });
});
