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
    if (!device || !deviceName) throw new Error('run initialPull first: close() closes the device it opened');
    await device.stopSync();
    await device.db.close();
    device = null;
    return deviceName;
  },
  priceChange: (session, count, timeoutMs) => priceChange(opened(), session, count, timeoutMs),
  reopen: (name, expected, session, lookups, sales) => {
    if (device) throw new Error('reopen runs in a page of its own, after close() in the page that filled the device');
    return reopen(name, expected, session, lookups, sales);
  },
};

window.bench = api;
document.getElementById('state')!.textContent = 'pronto';
