/**
 * One station as its own process, as a till is its own machine: its clock is set off by the run's
 * skew before anything starts, and the parent (stations.ts) drives it over IPC. Separate processes
 * also keep each device's RxDB collections to itself (RxDB's open-source build allows 16 at once).
 */
import type { ChaosStationAccount } from './prepare.ts';
import { seededRandom } from './random.ts';
import { ChaosStation } from './station.ts';

export interface OpenArgs {
  account: ChaosStationAccount;
  serverUrl: string;
  proxyUrl: string;
  skewMs: number;
  seed: number;
  runId: string;
}

export type WorkerRequest =
  | { id: number; cmd: 'open'; args: OpenArgs }
  | { id: number; cmd: 'sell'; args: { total: number; pauseMs: number } }
  | { id: number; cmd: 'stop' | 'status' | 'snapshot' | 'report' | 'diagnose' | 'close' };

export type WorkerMessage = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string } | { progress: number };

/** The device's wrong clock: `Date.now()` and `new Date()` are `skewMs` off for everything in this process. */
function skewClock(skewMs: number): void {
  const RealDate = Date;
  class DeviceDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + skewMs);
      else super(...(args as [string | number]));
    }
    static override now(): number {
      return RealDate.now() + skewMs;
    }
  }
  globalThis.Date = DeviceDate as DateConstructor;
}

const send = (message: WorkerMessage) => process.send?.(message);
let station: ChaosStation | null = null;
let stopped = false;

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.cmd) {
    case 'open': {
      const { account, skewMs, seed } = request.args;
      skewClock(skewMs);
      station = await ChaosStation.open({ ...request.args, random: seededRandom(seed).fork(`station-${account.code}`) });
      return { stationId: station.stationId };
    }
    case 'sell': {
      let last = 0;
      await station!.sell(request.args.total, request.args.pauseMs, () => stopped, (recorded) => {
        if (recorded !== last) send({ progress: (last = recorded) });
      });
      return station!.counts;
    }
    case 'stop':
      stopped = true;
      return null;
    case 'status':
      return station!.status();
    case 'snapshot':
      return station!.snapshot();
    case 'diagnose':
      return station!.diagnose();
    case 'report':
      return { counts: station!.counts, sales: [...station!.ledger.sales.values()] };
    case 'close':
      await station?.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

process.on('message', (request: WorkerRequest) => {
  handle(request).then(
    (value) => send({ id: request.id, ok: true, value }),
    (error: unknown) => send({ id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
