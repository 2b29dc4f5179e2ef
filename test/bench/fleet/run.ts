/**
 * `npx tsx test/bench/fleet/run.ts`: the fleet bench alone (issue 16; see fleet.ts). Runs PGlite, and
 * PostgreSQL too when BALCAO_TEST_PG_URL is set (FLEET_DB=pglite or postgresql: one of them).
 * FLEET_STATIONS (50), FLEET_SALES (1,000 per station) and FLEET_SOLO_SALES (10,000) set the sizes.
 * Figures: test-results/bench-fleet.json.
 */
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { positive, stepper, writeFigures } from '../harness.ts';
import { runFleet, type FleetResult } from './fleet.ts';

const COMMAND = 'npx tsx test/bench/fleet/run.ts';
const TARGETS = { uploadSalesPerSecond: 5_000, fleetSeconds: 30 };
const resultFile = fileURLToPath(new URL('../../../test-results/bench-fleet.json', import.meta.url));

const step = stepper('bench fleet');
const stations = positive('FLEET_STATIONS', 50);
const salesPerStation = positive('FLEET_SALES', 1_000);
const singleStationSales = positive('FLEET_SOLO_SALES', 10_000);
const kinds = (['pglite', 'postgresql'] as const).filter((db) => (process.env.FLEET_DB ? process.env.FLEET_DB === db : db === 'pglite' || Boolean(process.env.BALCAO_TEST_PG_URL)));

const results: (FleetResult & { db: string; load: string })[] = [];
try {
  for (const db of kinds) {
    const result = await runFleet({ stations, salesPerStation, db, singleStationSales, log: step });
    results.push({ db, ...result, load: loadavg().map((l) => l.toFixed(2)).join(' ') });
  }
  const mark = (met: boolean) => (met ? 'met' : 'MISSED');
  const lines = [`Fleet benchmark (issue 16) — ${COMMAND}`, `machine: ${cpus().length} CPUs`];
  for (const r of results) {
    lines.push(
      `${r.db}: one station, ${r.singleStationSales.toLocaleString('en-US')} offline sales uploaded and verified in ${r.uploadSeconds} s: ${r.uploadSalesPerSecond.toLocaleString('en-US')} sales/s (target ≥ ${TARGETS.uploadSalesPerSecond.toLocaleString('en-US')}, ${mark(r.uploadSalesPerSecond >= TARGETS.uploadSalesPerSecond)}); server process CPU ${r.uploadServerCpuSeconds} s${r.uploadDatabaseCpuSeconds !== null ? `, PostgreSQL backends' CPU ${r.uploadDatabaseCpuSeconds} s` : ''}`,
      `${r.db}: ${stations} stations × ${salesPerStation.toLocaleString('en-US')} sales at once, verified, stock exact: ${r.fleetSeconds} s (target ≤ ${TARGETS.fleetSeconds} s, ${mark(r.fleetSeconds <= TARGETS.fleetSeconds)}); server RSS peak ${r.serverRssMB} MB (${r.serverRssBeforeMB} MB before), server process CPU ${r.fleetServerCpuSeconds} s${r.fleetDatabaseCpuSeconds !== null ? `, PostgreSQL backends' CPU ${r.fleetDatabaseCpuSeconds} s` : ''}; load ${r.load}`,
    );
  }
  writeFigures(resultFile, { command: COMMAND, targets: TARGETS, stations, salesPerStation, results }, lines.join('\n'));
  process.exit(0);
} catch (error) {
  process.stderr.write(`Fleet benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
