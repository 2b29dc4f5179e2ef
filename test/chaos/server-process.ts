import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The production entry behind a guard (server-entry.ts), run by node itself so SIGKILL reaches the server and nothing else. */
const ENTRY = fileURLToPath(new URL('./server-entry.ts', import.meta.url));
const START_LIMIT_MS = 90_000;
const STOP_LIMIT_MS = 10_000;

export interface ServerTarget {
  /** PGlite data folder (kept across kills) … */
  dataDir?: string;
  /** … or a PostgreSQL database URL. */
  databaseUrl?: string;
}

/** A free port on 127.0.0.1, kept for every restart so the proxy always knows where the server is. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The central server as a child process that can be killed without warning and started again. */
export class ServerProcess {
  readonly url: string;
  starts = 0;
  kills = 0;
  /** Seconds each start took until /health answered. */
  readonly startSeconds: number[] = [];
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly port: number,
    private readonly target: ServerTarget,
    private readonly logFile: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  async start(): Promise<void> {
    if (this.child) throw new Error('the server is already running');
    const started = Date.now();
    const log = openSync(this.logFile, 'a');
    const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(this.port), LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
    delete env.DATABASE_URL;
    delete env.BALCAO_DATA_DIR;
    if (this.target.databaseUrl) env.DATABASE_URL = this.target.databaseUrl;
    else env.BALCAO_DATA_DIR = this.target.dataDir;
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], { cwd: ROOT, env, stdio: ['ignore', log, log, 'ipc'] });
    closeSync(log);
    this.child = child;
    this.starts++;
    let exitCode: number | string | null = null;
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        exitCode = code ?? signal;
        if (this.child === child) this.child = null;
        resolve();
      });
    });
    while (Date.now() - started < START_LIMIT_MS) {
      if (exitCode !== null) throw new Error(`the server exited while starting (${String(exitCode)}); last log lines:\n${this.logTail()}`);
      if (await this.healthy()) {
        this.startSeconds.push((Date.now() - started) / 1000);
        return;
      }
      await sleep(100);
    }
    await this.kill();
    throw new Error(`the server did not answer /health within ${START_LIMIT_MS / 1000} s; last log lines:\n${this.logTail()}`);
  }

  /** SIGKILL: no shutdown hook runs, open transactions die with the process. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.kills++;
    child.kill('SIGKILL');
    await this.exited;
  }

  /** A clean stop at the end of the run (SIGTERM, then SIGKILL if it hangs). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    const stopped = await Promise.race([this.exited.then(() => true), sleep(STOP_LIMIT_MS).then(() => false)]);
    if (!stopped) {
      child.kill('SIGKILL');
      await this.exited;
    }
  }

  logTail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  private async healthy(): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(2000) });
      return response.ok;
    } catch {
      return false;
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
