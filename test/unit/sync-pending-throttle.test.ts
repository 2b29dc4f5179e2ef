import { describe, expect, it } from 'vitest';
import { ThrottledTask } from '../../sync/client/pending.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('pending-upload count throttle', () => {
  it('POS-13 runs at most once per interval and never twice at a time, however often it is asked', async () => {
    let running = 0;
    let maxRunning = 0;
    const starts: number[] = [];
    const task = new ThrottledTask(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      starts.push(Date.now());
      await sleep(30);
      running--;
    }, 200);
    const began = Date.now();
    while (Date.now() - began < 500) {
      task.request();
      await sleep(5);
    }
    await sleep(250);
    task.stop();
    expect(maxRunning).toBe(1);
    expect(starts.length).toBeGreaterThanOrEqual(2);
    expect(starts.length).toBeLessThanOrEqual(4);
    for (let index = 1; index < starts.length; index++) expect(starts[index]! - starts[index - 1]!).toBeGreaterThanOrEqual(195);
  });

  it('POS-13 a request during a run is not lost: the count runs again afterwards', async () => {
    let runs = 0;
    const task = new ThrottledTask(async () => {
      runs++;
      await sleep(20);
    }, 50);
    task.request();
    await sleep(5);
    task.request();
    await sleep(150);
    expect(runs).toBe(2);
    await task.now();
    expect(runs).toBe(3);
    task.stop();
  });
});
