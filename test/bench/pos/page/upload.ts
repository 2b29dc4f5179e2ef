import { newTally } from '../../page/timed-fetch.ts';
import { round } from '../../page/stats.ts';
import type { PosUploadFigures } from '../types.ts';
import type { Station } from './station.ts';

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The station reconnects after selling offline: its sync client uploads on its own; sendNow is the "Send now" button. */
export async function upload(station: Station, expected: number, limitMs: number): Promise<PosUploadFigures> {
  const { device, session } = station;
  const tally = newTally();
  device.measure.fetch = tally;
  const started = performance.now();
  const engine = device.start(session);
  let allSeconds: number | null = null;
  const all = engine.sendNow().then(() => (allSeconds = (performance.now() - started) / 1000));
  const deadline = started + limitMs;
  while ((tally.acknowledged.sales?.rows ?? 0) < expected && performance.now() < deadline) await delay(50);
  const sales = tally.acknowledged.sales ?? { rows: 0, lastAt: Number.NaN };
  if (sales.rows < expected) throw new Error(`the server acknowledged ${sales.rows} of ${expected} sales within ${limitMs / 1000} s`);
  await Promise.race([all, delay(Math.max(0, deadline - performance.now()))]);
  device.measure.fetch = null;
  const seconds = sales.lastAt / 1000;
  return {
    sales: expected,
    seconds: round(seconds, 3),
    salesPerSecond: Math.round(expected / seconds),
    allSeconds: allSeconds === null ? null : round(allSeconds, 3),
    acknowledged: Object.fromEntries(Object.entries(tally.acknowledged).map(([collection, entry]) => [collection, entry.rows])),
    requests: tally.requests,
    salesPushMs: Math.round(tally.timeline.filter((entry) => entry.path.endsWith('/sales/push')).reduce((sum, entry) => sum + entry.ms, 0)),
    pendingAfter: engine.status.pendingUploads,
  };
}
