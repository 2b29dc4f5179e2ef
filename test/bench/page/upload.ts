import { withCpfCheckDigits } from '../../../sync/rules/tax-id.ts';
import type { Customer } from '../../../sync/schema/index.ts';
import { BENCH_CUSTOMER_PREFIX, type DeviceSession, type UploadFigures } from '../types.ts';
import type { Device } from './device.ts';
import { newTally } from './timed-fetch.ts';
import { round } from './stats.ts';

function customer(index: number, now: string): Customer {
  return {
    id: `${BENCH_CUSTOMER_PREFIX}${String(index).padStart(5, '0')}`,
    name: `Cliente Bench ${index}`,
    // Valid check digits, else the server keeps them in quarantine instead of accepting them.
    taxId: withCpfCheckDigits(String(300_000_000 + index)),
    city: 'São Paulo',
    active: true,
    updatedAt: now,
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Phase 3: documents written while the device does not sync, then uploaded when it syncs again. */
export async function offlineUpload(device: Device, session: DeviceSession, count: number, sendNowLimitMs: number): Promise<UploadFigures> {
  const customers = device.db.collections.customers;
  if (!customers) throw new Error('the device database has no customers collection');
  await device.stopSync();
  const now = new Date().toISOString();
  const docs = Array.from({ length: count }, (_, index) => customer(index + 1, now));
  const writeStarted = performance.now();
  const written = await customers.bulkInsert(docs);
  const offlineWriteSeconds = (performance.now() - writeStarted) / 1000;
  if (written.error.length > 0) throw new Error(`${written.error.length} offline customer writes failed`);

  device.measure.fetch = newTally();
  device.measure.storage = {};
  const started = performance.now();
  const engine = device.start(session);
  const statusLog: string[] = [];
  const watch = engine.status$.subscribe((status) => {
    const line = `${Math.round(performance.now() - started)} ms: online=${status.online} pending=${status.pendingUploads} error=${status.lastError ?? '-'}`;
    statusLog.push(line);
    console.debug(`upload status ${line}`);
  });
  let sendNowSeconds: number | null = null;
  try {
    // Bounded: the figure that matters is when the server holds every row; a sendNow that keeps
    // waiting for other work of the database is reported, not waited out.
    const finished = await Promise.race([engine.sendNow().then(() => true), delay(sendNowLimitMs).then(() => false)]);
    if (finished) sendNowSeconds = (performance.now() - started) / 1000;
  } finally {
    watch.unsubscribe();
  }
  const acknowledged = device.measure.fetch.acknowledged.customers ?? { rows: 0, lastAt: Number.NaN };
  if (acknowledged.rows < count) throw new Error(`the server acknowledged ${acknowledged.rows} of ${count} customers within ${sendNowLimitMs / 1000} s`);
  const seconds = acknowledged.lastAt / 1000;
  const tally = device.measure.fetch;
  const storage = device.measure.storage;
  device.measure.fetch = null;
  device.measure.storage = null;
  return {
    docs: count,
    offlineWriteSeconds: round(offlineWriteSeconds, 3),
    seconds: round(seconds, 3),
    sendNowSeconds: sendNowSeconds === null ? null : round(sendNowSeconds, 3),
    acknowledgedRows: acknowledged.rows,
    docsPerSecond: Math.round(count / seconds),
    requests: tally.requests,
    fetchMs: Math.round(tally.fetchMs),
    pendingAfter: engine.status.pendingUploads,
    timeline: tally.timeline,
    storage,
    statusLog: statusLog.slice(-30),
  };
}
