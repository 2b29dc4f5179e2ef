/**
 * `npm run bench`'s fleet step (issue 16): runs the fleet bench on the embedded database (PGlite, as the
 * device bench's server) and writes its figures into test-results/bench.json under `scale`
 * (`uploadSalesPerSecond`, `fleetSeconds`, `serverRssMB`), beside the device's.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { positive, stepper } from '../harness.ts';
import { runFleet } from './fleet.ts';

const step = stepper('bench fleet');

/** Returns the process exit code the bench should add: 1 when the fleet bench failed (a lost or unverified sale). */
export async function addFleetToScale(resultFile: string): Promise<number> {
  try {
    const fleet = await runFleet({
      stations: positive('FLEET_STATIONS', 50),
      salesPerStation: positive('FLEET_SALES', 1_000),
      singleStationSales: positive('FLEET_SOLO_SALES', 10_000),
      db: process.env.FLEET_DB === 'postgresql' ? 'postgresql' : 'pglite',
      log: step,
    });
    step(
      `fleet: ${fleet.uploadSalesPerSecond.toLocaleString('en-US')} sales/s from one station; ${fleet.fleetSeconds} s for the fleet; server RSS ${fleet.serverRssMB} MB; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    );
    if (existsSync(resultFile)) {
      const result = JSON.parse(readFileSync(resultFile, 'utf8')) as { scale?: Record<string, unknown> };
      result.scale = { ...result.scale, uploadSalesPerSecond: fleet.uploadSalesPerSecond, fleetSeconds: fleet.fleetSeconds, serverRssMB: fleet.serverRssMB, fleet };
      writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`);
    }
    return 0;
  } catch (error) {
    process.stderr.write(`Fleet benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
