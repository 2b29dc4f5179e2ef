import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { fillIfEmpty } from '../../server/support/templates.ts';
import { startServer, type RunningServer } from '../../../sync/server/node/start.ts';
import type { CentralServer } from './central-server.ts';

/**
 * The e2e central server (demo data, PGlite, own folder) with its rate limits ON, as production runs:
 * the conformance script's "429 with Retry-After honoured" step needs them, and CentralServer turns
 * them off for the other e2e files. Same surface as CentralServer for oneStation (cast: its private
 * fields make the class nominal). Used by test/e2e/admin-sandbox.test.ts.
 */
class LimitedServer {
  private running: RunningServer | null = null;
  private port = 0;
  private readonly origins = new Set<string>();
  readonly dataDir = mkdtempSync(join(tmpdir(), 'balcao-e2e-limited-'));

  get url(): string {
    if (!this.port) throw new Error('The central server was never started.');
    return `http://127.0.0.1:${this.port}`;
  }

  get isRunning(): boolean {
    return this.running !== null;
  }

  allowOrigin(url: string): void {
    const origin = new URL(url).origin;
    this.origins.add(origin);
    this.running?.allowOrigin(origin);
  }

  async start(): Promise<void> {
    if (this.running) return;
    delete process.env.DATABASE_URL;
    const template = inject('balcaoE2eDemoDataDir');
    if (template) fillIfEmpty(this.dataDir, template);
    this.running = await startServer({ port: this.port, dataDir: this.dataDir, seedDemo: true, logLevel: 'error', corsOrigins: [...this.origins] });
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

/** A rate-limited e2e server, typed as the CentralServer oneStation takes. */
export function rateLimitedServer(): CentralServer {
  return new LimitedServer() as unknown as CentralServer;
}
