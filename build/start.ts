import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { startServer, type RunningServer } from '../sync/server/node/start.ts';
import { buildElectron } from './build-electron.ts';
import { buildRenderer, isRendererStale } from './build-renderer.ts';
import { demoCredentialsText } from './demo-credentials.ts';
import { displayProblem, ensureElectronBinary } from './electron-binary.ts';
import { ROOT } from './paths.ts';
import { startWebHost, type WebHost } from './web-host.ts';

/**
 * `npm start`: the API server with demo data, the UI built when stale, then the Electron app — or,
 * where Electron cannot run (binary not downloadable, no display, `--web`), the same UI on localhost.
 */
const forceWeb = process.argv.includes('--web');
let server: RunningServer | null = null;
let webHost: WebHost | null = null;
let electron: ChildProcess | null = null;
let stopping = false;

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (electron && electron.exitCode === null) electron.kill('SIGTERM');
    await webHost?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
  }
  process.exit(code);
}
process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

function failToListen(error: unknown, variable: string, port: number): Promise<never> {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`Port ${port} is already in use (another Balcão running?). Stop it or choose another port with ${variable}=<port>.`);
  } else {
    console.error(error);
  }
  return stop(1);
}

/** Checked before the server opens its data folder: a second PGlite on the same folder could damage it. */
function ensurePortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

const apiPort = Number(process.env.PORT ?? 4010);
const uiPort = Number(process.env.PORT_UI ?? 4011);
if (apiPort !== 0) await ensurePortFree(apiPort).catch((error: unknown) => failToListen(error, 'PORT', apiPort));
// `npm start` is the demo: it asks for the demo data (a plain `npm run server` seeds nothing), and
// grants CORS to the web fallback's origin besides Electron's app://balcao.
const corsOrigins = [`http://127.0.0.1:${uiPort}`, `http://localhost:${uiPort}`, ...(process.env.BALCAO_CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean)];
const api = await startServer({ port: apiPort, seedDemo: true, corsOrigins, logLevel: process.env.LOG_LEVEL ?? 'warn' }).catch((error: unknown) => failToListen(error, 'PORT', apiPort));
server = api;
console.log(`Server on ${api.url} (${api.database}${api.seeded ? ', demo data seeded' : ''}) — health ${api.url}/health, API docs ${api.url}/docs`);

if (isRendererStale()) {
  console.log('Building the UI (dist/renderer)…');
  await buildRenderer().catch((error: unknown) => {
    console.error(error);
    console.error('Building the UI failed (errors above). Fix them and run npm start again.');
    return stop(1);
  });
}

const lookup = forceWeb
  ? ({ found: false, reason: 'the web host was asked for (--web)' } as const)
  : await ensureElectronBinary(undefined, () => console.log('Downloading the Electron binary (once)…'));
const noDisplay = lookup.found ? displayProblem() : null;

if (lookup.found && !noDisplay) {
  await buildElectron();
  console.log(`Opening the Balcão window (Electron). First run:\n${demoCredentialsText(api.url)}`);
  const env: NodeJS.ProcessEnv = { ...process.env, BALCAO_SERVER_URL: api.url };
  delete env.ELECTRON_RUN_AS_NODE;
  electron = spawn(lookup.path, [ROOT], { stdio: 'inherit', env });
  electron.once('exit', (code) => void stop(code ?? 0));
} else {
  const host = await startWebHost({ port: uiPort, servers: [api.url] }).catch((error: unknown) => failToListen(error, 'PORT_UI', uiPort));
  webHost = host;
  const why = lookup.found ? noDisplay : lookup.reason;
  console.log(`Electron is not available: ${why}. Serving the same UI at ${host.url} instead.`);
  console.log(`Open ${host.url} in a browser. First run:\n${demoCredentialsText(api.url)}\nCtrl-C stops everything.`);
}
