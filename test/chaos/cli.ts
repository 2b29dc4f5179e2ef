/**
 * `npm run chaos`: stations sell offline and upload through a proxy that cuts connections at every
 * phase while the server is SIGKILLed and restarted, on PGlite and PostgreSQL; then every sale is
 * looked for on the server. Exits 1 on any loss, double, wrong stock or non-convergence.
 * `npm run chaos -- --help` lists the flags.
 */
import { parseArgs } from 'node:util';
import type { ChaosDatabase } from './prepare.ts';
import { reproduceCommand, runChaos, type ChaosOptions, type ChaosResult } from './run.ts';

const HELP = `npm run chaos -- [flags]
  --db pglite|postgresql|both   databases to run on (default both; PostgreSQL at BALCAO_TEST_PG_URL, a scratch database)
  --stations N                  stations selling at once (default 5)
  --sales N                     sales each station records, exchanges included (default 2000)
  --cuts N                      connection cuts, spread over before-request, mid-request, after-commit, mid-answer (default 50)
  --kills N                     SIGKILLs of the server, each followed by a restart (default 3)
  --offline N                   times each station loses its network for 1–4 s (default 2)
  --pause MS                    longest pause between two operations at a station (default 40)
  --seed N                      scenario seed (default: random, printed)
  --converge S                  seconds the stations get to converge at the end (default 180)
  --timeout S                   bound of one database's run (default 1800)
Env: BALCAO_CHAOS_KEEP=1 keeps a failed run's data folder and server log.`;

function integer(value: string | undefined, fallback: number, name: string, min = 0): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < min) {
    console.error(`--${name} needs a whole number of at least ${min}, not "${value}".\n\n${HELP}`);
    process.exit(2);
  }
  return parsed;
}

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'both' },
    stations: { type: 'string' },
    sales: { type: 'string' },
    cuts: { type: 'string' },
    kills: { type: 'string' },
    offline: { type: 'string' },
    pause: { type: 'string' },
    seed: { type: 'string' },
    converge: { type: 'string' },
    timeout: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
if (!['pglite', 'postgresql', 'both'].includes(values.db)) {
  console.error(`--db is pglite, postgresql or both, not "${values.db}".\n\n${HELP}`);
  process.exit(2);
}
const databases: ChaosDatabase[] = values.db === 'both' ? ['pglite', 'postgresql'] : [values.db as ChaosDatabase];
const base: Omit<ChaosOptions, 'db'> = {
  stations: integer(values.stations, 5, 'stations', 1),
  sales: integer(values.sales, 2000, 'sales', 1),
  cuts: integer(values.cuts, 50, 'cuts'),
  kills: integer(values.kills, 3, 'kills'),
  offline: integer(values.offline, 2, 'offline'),
  pauseMs: integer(values.pause, 40, 'pause'),
  seed: integer(values.seed, Math.floor(Math.random() * 1_000_000), 'seed'),
  convergeSeconds: integer(values.converge, 180, 'converge', 1),
  timeoutSeconds: integer(values.timeout, 1800, 'timeout', 10),
  log: (line) => console.log(line),
};
const command = reproduceCommand({ ...base, db: databases[0]! }, values.db as ChaosDatabase | 'both');
console.log(`chaos: ${command}`);

const results: ChaosResult[] = [];
for (const db of databases) results.push(await runChaos({ ...base, db }));

const yes = (value: boolean) => (value ? 'yes' : 'NO');
const header = ['database', 'sent', 'on server', 'lost', 'doubled', 'stale', 'refused', 'other docs sent/on server/lost', 'stock exact', 'converged', 'seconds'];
const rows = results.map((result) => {
  const verdict = result.verdict;
  return [
    result.options.db,
    String(verdict?.sent ?? '-'),
    String(verdict?.onServer ?? '-'),
    String(verdict?.lost.length ?? '-'),
    String(verdict?.doubled.length ?? '-'),
    String(verdict?.stale.length ?? '-'),
    String(verdict?.refused.length ?? '-'),
    verdict ? `${verdict.otherSent}/${verdict.otherOnServer}/${verdict.otherLost.length}` : '-',
    verdict ? yes(result.stockExact) : '-',
    verdict ? (result.converged === 'itself' ? 'yes' : result.converged === 'after send now' ? 'NO (yes after send now)' : 'NO') : '-',
    result.seconds.total.toFixed(0),
  ];
});
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
console.log(`\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}`);
for (const row of rows) console.log(line(row));

for (const result of results) {
  const c = result.counts;
  const cuts = Object.entries(result.cutsApplied).map(([phase, count]) => `${phase} ${count}`).join(', ');
  const statuses = Object.entries(result.proxy?.statuses ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');
  console.log(`\n[${result.options.db}] ${c.sales} sales, ${c.exchanges} exchanges, ${c.cancellations} cancellations, ${c.exchangeCancellations} exchange cancellations; clocks ${result.clockSkewsHours.map((h) => `${h > 0 ? '+' : ''}${h} h`).join(', ')}`);
  console.log(`  cuts: ${cuts}; offline windows: ${result.offlineWindows}; kills: ${result.kills.map((kill) => `${(kill.progress * 100).toFixed(0)} %${kill.duringPush ? ' (after a push)' : ''}`).join(', ') || 'none'}; restarts took ${result.restartSeconds.map((s) => `${s.toFixed(1)} s`).join(', ') || '-'}`);
  if (result.proxy) console.log(`  proxy: ${result.proxy.connections} connections, ${result.proxy.requests} requests (${result.proxy.pushes} pushes), ${result.proxy.offlineDrops} refused offline, ${result.proxy.upstreamRefused} refused by a down server; answers ${statuses}`);
  console.log(`  time: setup ${result.seconds.setup.toFixed(1)} s, selling ${result.seconds.selling.toFixed(1)} s, converging ${result.seconds.converging.toFixed(1)} s, total ${result.seconds.total.toFixed(1)} s`);
  for (const note of result.notes) console.log(`  note: ${note}`);
  for (const problem of result.problems) console.log(`  ✖ ${problem}`);
  for (const line of result.diagnosis) console.log(`  diagnosis: ${line}`);
  if (!result.ok) console.log(`  server log (last lines):\n${result.serverLog.replace(/^/gm, '    ')}`);
}

const failed = results.filter((result) => !result.ok);
console.log(`\n${failed.length === 0 ? '✔ no loss, no double, stock exact, converged' : `✖ failed on ${failed.map((result) => result.options.db).join(' and ')}`}`);
console.log(`reproduce: ${command}`);
process.exit(failed.length === 0 ? 0 : 1);
