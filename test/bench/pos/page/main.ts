import type { PosBenchApi } from '../types.ts';
import { lookups } from './lookups.ts';
import { recordSales } from './sales.ts';
import { prepareStation, type Station } from './station.ts';
import { upload } from './upload.ts';

let station: Station | null = null;

function prepared(): Station {
  if (!station) throw new Error('run prepare first: it opens the station');
  return station;
}

const api: PosBenchApi = {
  async prepare(session, expected) {
    if (station) throw new Error('the page already prepared its station; reload it for a fresh one');
    const result = await prepareStation(session, expected);
    station = result.station;
    return result.figures;
  },
  lookups: async (samples) => lookups(prepared(), samples),
  recordSales: (count) => recordSales(prepared(), count),
  upload: (expected, limitMs) => upload(prepared(), expected, limitMs),
  async close() {
    station?.pos.dispose();
    await station?.device.stopSync();
    await station?.device.db.close();
    station = null;
  },
};

window.posBench = api;
document.getElementById('state')!.textContent = 'pronto';
