import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Sale } from '../../sync/schema/index.ts';
import type { OpenArgs, WorkerMessage, WorkerRequest } from './station-worker.ts';
import type { StationCounts, StationSnapshot } from './station.ts';

const WORKER = fileURLToPath(new URL('./station-worker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLOSE_LIMIT_MS = 15_000;

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; cmd: string };

/** A station process seen from the run: its commands, and how many sales it has recorded so far. */
export class StationHandle {
  recorded = 0;
  stationId = '';
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private output = '';
  private exited = false;

  constructor(readonly code: string) {
    this.child = fork(WORKER, [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-4000);
      if (process.env.BALCAO_CHAOS_DEBUG) process.stderr.write(chunk.toString('utf8').replace(/^(?=.)/gm, `[${code}] `));
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.child.on('message', (message: WorkerMessage) => {
      if ('progress' in message) {
        this.recorded = message.progress;
        return;
      }
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.ok) waiting.resolve(message.value);
      else waiting.reject(new Error(`station ${code} (${waiting.cmd}): ${message.error}`));
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      for (const waiting of this.pending.values()) waiting.reject(new Error(`station ${this.code} exited (${String(code ?? signal)}) during ${waiting.cmd}: ${this.output.trim().slice(-1500)}`));
      this.pending.clear();
    });
  }

  private request<T>(request: DistributiveOmit<WorkerRequest, 'id'>): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`station ${this.code} is not running: ${this.output.trim().slice(-1500)}`));
    const id = ++this.nextId;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, cmd: request.cmd });
      this.child.send({ ...request, id } as WorkerRequest);
    });
  }

  async open(args: OpenArgs): Promise<void> {
    this.stationId = (await this.request<{ stationId: string }>({ cmd: 'open', args })).stationId;
  }

  sell(total: number, pauseMs: number): Promise<StationCounts> {
    return this.request({ cmd: 'sell', args: { total, pauseMs } });
  }

  stop(): Promise<void> {
    return this.request({ cmd: 'stop' });
  }

  status(): Promise<{ pendingUploads: number; lastError: string | null }> {
    return this.request({ cmd: 'status' });
  }

  snapshot(): Promise<StationSnapshot> {
    return this.request({ cmd: 'snapshot' });
  }

  diagnose(): Promise<string> {
    return this.request({ cmd: 'diagnose' });
  }

  report(): Promise<{ counts: StationCounts; sales: Sale[] }> {
    return this.request({ cmd: 'report' });
  }

  /** Stops the sync client and ends the process (killed if it does not end in time). */
  async close(): Promise<void> {
    if (this.exited) return;
    const ended = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.request({ cmd: 'close' }).catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), CLOSE_LIMIT_MS);
    await ended;
    clearTimeout(timer);
  }
}
