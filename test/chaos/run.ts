import { join } from 'node:path';
import type { LoginResponse } from '../../sync/schema/index.ts';
import { readServer, verify, type Ledger, type Verdict } from './check.ts';
import { CUT_PHASES, FaultProxy, isPull, isPush, type CutPhase, type ProxyStats, type RequestHead } from './proxy.ts';
import { prepareDatabase, stationAccounts, STORE, type ChaosDatabase, type PreparedDatabase } from './prepare.ts';
import { seededRandom, type Random } from './random.ts';
import { ServerProcess, freePort, sleep } from './server-process.ts';
import type { StationSnapshot } from './station.ts';
import { StationHandle } from './stations.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ChaosOptions {
  db: ChaosDatabase;
  stations: number;
  /** Sales (exchanges included) each station records. */
  sales: number;
  /** Connection cuts over the run, spread over the four phases. */
  cuts: number;
  /** SIGKILLs of the server, each followed by a restart. */
  kills: number;
  seed: number;
  /** Times each station loses its network for 1–4 s while it keeps selling. */
  offline: number;
  /** Longest pause between two operations at a station, ms. */
  pauseMs: number;
  /** How long the stations get to converge once the faults are over. */
  convergeSeconds: number;
  /** Bound of the whole run. */
  timeoutSeconds: number;
  log?: (line: string) => void;
}

export interface KillEvent {
  /** Share of all sales recorded when the server was killed. */
  progress: number;
  /** True when the kill followed a push request into the server by a few ms. */
  duringPush: boolean;
  downSeconds: number;
}

export interface ChaosResult {
  options: ChaosOptions;
  verdict: Verdict | null;
  ok: boolean;
  /** Why the run failed, readable; empty when ok. */
  problems: string[];
  /** What did not go as planned without being a fault of the server (a cut that found nothing to cut). */
  notes: string[];
  /** For a run that did not converge: what the stations did when asked to recount and send now. */
  diagnosis: string[];
  stockExact: boolean;
  /**
   * 'itself': every station held the server's data with nothing pending within --converge seconds.
   * 'after send now': only once each station recounted and pressed "send now" (POS-14) — a sync-client
   * fault (it counts as a failure of the run), but no data was lost. 'no': not even then.
   */
  converged: 'itself' | 'after send now' | 'no';
  cutsApplied: Record<CutPhase, number>;
  kills: KillEvent[];
  restartSeconds: number[];
  offlineWindows: number;
  proxy: ProxyStats | null;
  counts: { sales: number; exchanges: number; cancellations: number; exchangeCancellations: number };
  clockSkewsHours: number[];
  seconds: { setup: number; selling: number; converging: number; total: number };
  serverLog: string;
}

interface OfflineWindow {
  station: number;
  at: number;
  durationMs: number;
  endsAt?: number;
  done: boolean;
}

/** Device clocks spread over ±2 days: one station 2 days behind, one 2 days ahead, the others between. */
function clockSkews(count: number, random: Random): number[] {
  const skews = Array.from({ length: count }, (_, index) => {
    if (index === 0) return -2 * DAY_MS;
    if (index === 1) return 2 * DAY_MS;
    return Math.round((random.next() * 4 - 2) * DAY_MS);
  });
  for (let i = skews.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [skews[i], skews[j]] = [skews[j]!, skews[i]!];
  }
  return skews;
}

/** Cut plan: the phases in shuffled rounds of four, at points spread over the first 85 % of the sales. */
interface PlannedCut {
  phase: CutPhase;
  /** Share of all sales recorded when the cut is armed. */
  at: number;
  target: 'push' | 'pull';
}

/** A cut aimed at a pull page falls back to a push when no pull comes within 3 s. */
function matcher(cut: PlannedCut): (head: RequestHead) => boolean {
  if (cut.target === 'push') return isPush;
  const armedAt = Date.now();
  return (head) => isPull(head) || (Date.now() - armedAt > 3000 && isPush(head));
}

function cutPlan(count: number, random: Random): PlannedCut[] {
  const plan: PlannedCut[] = [];
  let round: CutPhase[] = [];
  for (let index = 0; index < count; index++) {
    if (round.length === 0) {
      round = [...CUT_PHASES];
      for (let i = round.length - 1; i > 0; i--) {
        const j = random.int(0, i);
        [round[i], round[j]] = [round[j]!, round[i]!];
      }
    }
    const phase = round.pop()!;
    // Every other cut of an answer hits a pull page instead of a push answer.
    plan.push({ phase, at: ((index + random.next()) / count) * 0.85, target: phase === 'mid-answer' && index % 2 === 1 ? 'pull' : 'push' });
  }
  return plan;
}

export function reproduceCommand(options: ChaosOptions, db: ChaosDatabase | 'both' = options.db): string {
  return `npm run chaos -- --db ${db} --stations ${options.stations} --sales ${options.sales} --cuts ${options.cuts} --kills ${options.kills} --offline ${options.offline} --pause ${options.pauseMs} --seed ${options.seed}`;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const deadline = started + options.timeoutSeconds * 1000;
  // The same seed gives the same scenario on both databases.
  const random = seededRandom(options.seed);
  const result: ChaosResult = {
    options,
    verdict: null,
    ok: false,
    problems: [],
    notes: [],
    diagnosis: [],
    stockExact: false,
    converged: 'no',
    cutsApplied: { 'before-request': 0, 'mid-request': 0, 'after-commit': 0, 'mid-answer': 0 },
    kills: [],
    restartSeconds: [],
    offlineWindows: 0,
    proxy: null,
    counts: { sales: 0, exchanges: 0, cancellations: 0, exchangeCancellations: 0 },
    clockSkewsHours: [],
    seconds: { setup: 0, selling: 0, converging: 0, total: 0 },
    serverLog: '',
  };

  log(`[${options.db}] preparing a fresh database with ${options.stations} stations`);
  // Each station is its own process; they load while the database is prepared and the server starts.
  const stations = stationAccounts(options.stations).map((account) => new StationHandle(account.code));
  let prepared: PreparedDatabase;
  try {
    prepared = await prepareDatabase(options.db, options.stations);
  } catch (error) {
    await Promise.all(stations.map((station) => station.close()));
    throw error;
  }
  const server = new ServerProcess(await freePort(), prepared.target, join(prepared.folder, 'server.log'));
  const proxy = new FaultProxy(server.port);
  try {
    await server.start();
    log(`[${options.db}] server up on ${server.url} in ${server.startSeconds[0]!.toFixed(1)} s (data in ${prepared.folder})`);
    const admin = await login(server.url);
    const initialStock = (await readServer(server.url, admin.token)).stock;

    const skews = clockSkews(options.stations, random.fork('clocks'));
    result.clockSkewsHours = skews.map((skew) => Math.round(skew / 3_600_000));
    const runId = `${options.seed}-${options.db}-${Date.now().toString(36)}`;
    // The stations pair, sign in and pull the catalogue together, before any fault.
    await Promise.all(
      prepared.stations.map(async (account, index) => {
        const port = await proxy.addStation(account.code);
        await stations[index]!.open({ account, serverUrl: server.url, proxyUrl: `http://127.0.0.1:${port}`, skewMs: skews[index]!, seed: options.seed, runId });
      }),
    );
    result.seconds.setup = (Date.now() - started) / 1000;
    log(`[${options.db}] ${stations.length} stations synced the catalogue (${result.seconds.setup.toFixed(1)} s); clocks off by ${result.clockSkewsHours.map((h) => `${h > 0 ? '+' : ''}${h} h`).join(', ')}`);

    // The faults, driven by how far the selling has got so they land while the stations work.
    const schedule = random.fork('schedule');
    const killDelays = random.fork('kill-delays');
    const cuts = cutPlan(options.cuts, schedule);
    const killPoints = Array.from({ length: options.kills }, (_, k) => ((k + 0.5 + (schedule.next() - 0.5) * 0.5) / options.kills) * 0.9);
    const windows: OfflineWindow[] = [];
    for (let station = 0; station < stations.length; station++) {
      for (let w = 0; w < options.offline; w++) windows.push({ station, at: 0.05 + schedule.next() * 0.85, durationMs: schedule.int(1000, 4000), done: false });
    }
    const total = options.stations * options.sales;
    const progress = () => stations.reduce((sum, station) => sum + station.recorded, 0) / total;
    proxy.onCut = (phase, head) => log(`[${options.db}]   cut ${phase} on ${head.station} ${head.method} ${head.path.split('?')[0]}`);

    const sellingStarted = Date.now();
    const selling = Promise.all(stations.map((station) => station.sell(options.sales, options.pauseMs))).then(
      () => null,
      (error: unknown) => error,
    );
    let sellingDone = false;
    void selling.then(() => (sellingDone = true));
    let nextCut = 0;
    let nextKill = 0;
    let lastLogged = 0;

    const killOnce = async (): Promise<void> => {
      const at = progress();
      // Aim at a transaction: kill a few ms after a push went into the server, or after 5 s anyway.
      const aimed = await new Promise<boolean>((resolve) => {
        const fallback = setTimeout(() => {
          proxy.onPushForwarded = null;
          resolve(false);
        }, 5000);
        proxy.onPushForwarded = () => {
          proxy.onPushForwarded = null;
          clearTimeout(fallback);
          setTimeout(() => resolve(true), killDelays.int(0, 20));
        };
      });
      await server.kill();
      const downMs = killDelays.int(300, 2000);
      log(`[${options.db}]   SIGKILL at ${(at * 100).toFixed(0)} %${aimed ? ' (just after a push reached it)' : ''}; down ${downMs} ms before the restart`);
      await sleep(downMs);
      const restartFrom = Date.now();
      await server.start();
      result.kills.push({ progress: at, duringPush: aimed, downSeconds: (Date.now() - restartFrom + downMs) / 1000 });
      log(`[${options.db}]   server back after ${((Date.now() - restartFrom) / 1000).toFixed(1)} s of start-up`);
    };

    while (!(sellingDone && nextKill >= killPoints.length && windows.every((window) => window.done))) {
      if (Date.now() > deadline) {
        await Promise.all(stations.map((station) => station.stop().catch(() => undefined)));
        result.problems.push(`the run passed its ${options.timeoutSeconds} s bound while selling`);
        break;
      }
      const done = progress();
      while (nextCut < cuts.length && cuts[nextCut]!.at <= done) {
        proxy.arm(cuts[nextCut]!.phase, matcher(cuts[nextCut]!));
        nextCut++;
      }
      for (const window of windows) {
        if (!window.endsAt && !window.done && (window.at <= done || sellingDone)) {
          window.endsAt = Date.now() + window.durationMs;
          proxy.setOffline(stations[window.station]!.code, true);
          result.offlineWindows++;
        } else if (window.endsAt && !window.done && Date.now() >= window.endsAt) {
          window.done = true;
          // Another window of the same station may still be open.
          if (!windows.some((other) => other !== window && other.station === window.station && other.endsAt && !other.done)) proxy.setOffline(stations[window.station]!.code, false);
        }
      }
      if (nextKill < killPoints.length && (killPoints[nextKill]! <= done || sellingDone)) {
        nextKill++;
        await killOnce();
        continue;
      }
      if (Date.now() - lastLogged > 5000) {
        lastLogged = Date.now();
        log(`[${options.db}] ${(done * 100).toFixed(0)} % sold, ${proxy.cutsApplied}/${options.cuts} cuts, ${server.kills}/${options.kills} kills`);
      }
      await sleep(20);
    }
    const sellingError = await selling;
    if (sellingError) result.problems.push(`a station stopped selling: ${String(sellingError)}`);
    result.seconds.selling = (Date.now() - sellingStarted) / 1000;
    for (const station of stations) proxy.setOffline(station.code, false);
    log(`[${options.db}] selling done in ${result.seconds.selling.toFixed(1)} s; waiting for the stations to converge (at most ${options.convergeSeconds} s)`);

    // Convergence: the remaining cuts still apply to what the stations send meanwhile.
    for (; nextCut < cuts.length; nextCut++) proxy.arm(cuts[nextCut]!.phase, matcher(cuts[nextCut]!));
    const convergeStarted = Date.now();
    const convergeDeadline = Math.min(deadline, convergeStarted + options.convergeSeconds * 1000);
    const ledgers: Ledger[] = [];
    for (const station of stations) {
      const report = await station.report();
      ledgers.push({ code: station.code, stationId: station.stationId, sales: report.sales });
      result.counts.sales += report.counts.sales;
      result.counts.exchanges += report.counts.exchanges;
      result.counts.cancellations += report.counts.cancellations;
      result.counts.exchangeCancellations += report.counts.exchangeCancellations;
      if (report.counts.generatorErrors.length > 0) result.problems.push(`station ${station.code}: the POS refused ${report.counts.generatorErrors.length} generated operation(s): ${report.counts.generatorErrors.slice(0, 3).join(' | ')}`);
    }
    let verdict: Verdict | null = null;
    let snapshots: StationSnapshot[] = [];
    for (;;) {
      const statuses = await Promise.all(stations.map((station) => station.status()));
      const idle = statuses.every((status) => status.pendingUploads === 0);
      if (idle || Date.now() > convergeDeadline) {
        snapshots = await Promise.all(stations.map((station) => station.snapshot()));
        verdict = verify(await readServer(server.url, admin.token), ledgers, snapshots, initialStock);
        if (verdict.converged || Date.now() > convergeDeadline) break;
      }
      await sleep(idle ? 3000 : 1000);
    }
    const reverted = snapshots.flatMap((snapshot) => snapshot.reverted.map((entry) => `${snapshot.code} ${entry}`));
    if (reverted.length > 0) result.notes.push(`${reverted.length} time(s) a station's database showed a sale it had cancelled as finished again (replication wrote an older server state over it):\n      ${reverted.slice(0, 10).join('\n      ')}`);
    result.seconds.converging = (Date.now() - convergeStarted) / 1000;
    if (!verdict.converged) {
      // Tell a stale status from a stuck upload: let each station recount and press "send now", then look again.
      for (const station of stations) result.diagnosis.push(`${station.code}: ${await station.diagnose()}`);
      const again = verify(await readServer(server.url, admin.token), ledgers, await Promise.all(stations.map((station) => station.snapshot())), initialStock);
      result.diagnosis.push(again.converged ? 'after that every station holds what the server holds' : `after that still not converged: ${again.notConverged.join('; ')}`);
      result.converged = again.converged ? 'after send now' : 'no';
    } else {
      result.converged = 'itself';
    }
    result.verdict = verdict;
    result.stockExact = verdict.wrongStock.length === 0;
    if (proxy.pendingCuts > 0) result.notes.push(`${proxy.pendingCuts} cut(s) never found a request to cut (the run was too small for them)`);
    const list = (items: string[]) => items.slice(0, 10).join('\n      ') + (items.length > 10 ? `\n      … ${items.length - 10} more` : '');
    if (verdict.lost.length > 0) result.problems.push(`${verdict.lost.length} sale(s) lost:\n      ${list(verdict.lost)}`);
    if (verdict.stale.length > 0) result.problems.push(`${verdict.stale.length} sale(s) on the server in another state than at the station:\n      ${list(verdict.stale)}`);
    if (verdict.doubled.length > 0) result.problems.push(`${verdict.doubled.length} double(s):\n      ${list(verdict.doubled)}`);
    if (verdict.wrongStock.length > 0) result.problems.push(`${verdict.wrongStock.length} product(s) with a wrong stock:\n      ${list(verdict.wrongStock)}`);
    if (verdict.otherLost.length > 0) result.problems.push(`${verdict.otherLost.length} audit event(s) / cash movement(s) missing or different on the server:\n      ${list(verdict.otherLost)}`);
    if (verdict.refused.length > 0) result.problems.push(`${verdict.refused.length} document(s) refused by the server:\n      ${list(verdict.refused)}`);
    if (!verdict.converged) result.problems.push(`not converged after ${options.convergeSeconds} s:\n      ${list(verdict.notConverged)}`);
  } catch (error) {
    result.problems.push(`the run broke off: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    result.proxy = proxy.stats;
    result.cutsApplied = { ...proxy.stats.cuts };
    result.restartSeconds = server.startSeconds.slice(1);
    await Promise.all(stations.map((station) => station.close()));
    await proxy.close();
    await server.stop();
    result.serverLog = server.logTail(30);
    result.ok = result.problems.length === 0;
    result.seconds.total = (Date.now() - started) / 1000;
    if (result.ok || !process.env.BALCAO_CHAOS_KEEP) await prepared.dispose();
    else log(`[${options.db}] kept the data and the server log in ${prepared.folder} (BALCAO_CHAOS_KEEP)`);
  }
  return result;
}

async function login(url: string): Promise<LoginResponse> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ storeCode: STORE, userCode: 'admin', password: 'admin123' }),
  });
  if (!response.ok) throw new Error(`admin login: HTTP ${response.status}`);
  return (await response.json()) as LoginResponse;
}
