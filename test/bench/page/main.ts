import type { BenchApi } from '../types.ts';
import { openDevice, type Device } from './device.ts';
import { initialPull } from './pull.ts';
import { rawDexie } from './raw-dexie.ts';
import { offlineUpload } from './upload.ts';
import { latency } from './latency.ts';
import { reopen } from './reopen.ts';
import { priceChange } from './price-change.ts';

let device: Device | null = null;
let deviceName: string | null = null;

async function freshDevice(): Promise<Device> {
  if (device) throw new Error('the bench page already opened its device; reload the page for a fresh one');
  deviceName = `bench_device_${Date.now()}`;
  device = await openDevice(deviceName);
  return device;
}

function opened(): Device {
  if (!device) throw new Error('run initialPull first: it opens the device');
  return device;
}

const api: BenchApi = {
  initialPull: async (session, expected) => initialPull(await freshDevice(), session, expected),
  rawDexie: (session, expected, chunk) => rawDexie(session, expected, chunk),
  offlineUpload: (session, count, limit) => offlineUpload(opened(), session, count, limit),
  latency: (session, changes, timeoutMs) => latency(opened(), session, changes, timeoutMs),
  async close() {
    await device?.stopSync();
    await device?.db.close();
    device = null;
  },
  priceChange: (session, count, timeoutMs) => priceChange(opened(), session, count, timeoutMs),
  reopen: (expected, session, lookups, sales) => {
    if (!deviceName || device) throw new Error('reopen runs after close(), on the device the initial pull filled');
    return reopen(deviceName, expected, session, lookups, sales);
  },
};

window.bench = api;
document.getElementById('state')!.textContent = 'pronto';
