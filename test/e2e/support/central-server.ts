import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer, type StartOptions } from '../../../sync/server/node/start.ts';

/**
 * The central server on a PGlite data folder of its own. `stop()` + `start()` simulate an outage:
 * the second start reuses the same folder and the same port, so a paired device finds it again.
 */
export class CentralServer {
  private running: RunningServer | null = null;
  private port = 0;
  readonly dataDir = mkdtempSync(join(tmpdir(), 'balcao-e2e-server-'));

  /** `options`: extra server options, e.g. a short station offline threshold. */
  private readonly options: Pick<StartOptions, 'stationOnlineSeconds'>;

  constructor(options: Pick<StartOptions, 'stationOnlineSeconds'> = {}) {
    this.options = options;
  }

  get url(): string {
    if (!this.port) throw new Error('The central server was never started.');
    return `http://127.0.0.1:${this.port}`;
  }

  get isRunning(): boolean {
    return this.running !== null;
  }

  async start(): Promise<void> {
    if (this.running) return;
    // A DATABASE_URL in the environment would win over the data folder and share state between runs.
    delete process.env.DATABASE_URL;
    this.running = await startServer({ port: this.port, dataDir: this.dataDir, seedDemo: true, logLevel: 'error', rateLimit: false, ...this.options });
    this.port = this.running.port;
  }

  async stop(): Promise<void> {
    const running = this.running;
    this.running = null;
    await running?.close();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
