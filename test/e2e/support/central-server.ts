import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { TEST_PASSWORD_HASHING } from '../../server/support/password-hashing.ts';
import { fillIfEmpty } from '../../server/support/templates.ts';
import { startServer, type RunningServer, type StartOptions } from '../../../sync/server/node/start.ts';

/**
 * The central server on a PGlite data folder of its own. `stop()` + `start()` simulate an outage:
 * the second start reuses the same folder and the same port, so a paired device finds it again.
 */
export class CentralServer {
  private running: RunningServer | null = null;
  private port = 0;
  readonly dataDir = mkdtempSync(join(tmpdir(), 'balcao-e2e-server-'));

  /**
   * `options`: extra server options, e.g. a short station offline threshold, or `rateLimit` to turn the
   * rate limits ON (off by default here: e2e logins and syncs are not what those files prove), e.g.
   * `{ windowSeconds: 5 }` so a 429's Retry-After is seconds, not a minute.
   */
  private readonly options: Pick<StartOptions, 'stationOnlineSeconds' | 'rateLimit'>;

  constructor(options: Pick<StartOptions, 'stationOnlineSeconds' | 'rateLimit'> = {}) {
    this.options = options;
  }

  get url(): string {
    if (!this.port) throw new Error('The central server was never started.');
    return `http://127.0.0.1:${this.port}`;
  }

  get isRunning(): boolean {
    return this.running !== null;
  }

  /** Browser origins granted CORS (the web hosts whose pages call this server), kept across restarts. */
  private readonly origins = new Set<string>();

  /** Grants CORS to a page's origin, e.g. the UI host's URL (the server grants only the app's own origins). */
  allowOrigin(url: string): void {
    const origin = new URL(url).origin;
    this.origins.add(origin);
    this.running?.allowOrigin(origin);
  }

  /** A fresh one-time pairing code for a station of loja1, issued by the demo admin (codes work once). */
  async issuePairingCode(stationCode: string, storeCode = 'loja1'): Promise<string> {
    const post = async (path: string, body: unknown, token?: string) => {
      const response = await fetch(this.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as Record<string, unknown>;
    };
    const admin = await post('/api/auth/login', { storeCode, userCode: 'admin', password: 'admin123' });
    const issued = await post(`/api/stations/${storeCode}-${stationCode}/pairing-code`, {}, String(admin.token));
    return String(issued.pairingCode);
  }

  async start(): Promise<void> {
    if (this.running) return;
    // A DATABASE_URL in the environment would win over the data folder and share state between runs.
    delete process.env.DATABASE_URL;
    // The first start copies a migrated, seeded folder built once per run (global-setup.ts): the
    // same data a first start would write, without initdb, migrations and seeding in every file.
    const template = inject('balcaoE2eDemoDataDir');
    if (template) fillIfEmpty(this.dataDir, template);
    // Demo data (asked for): the demo stations' documented codes (cx01-pair, …) work once per start.
    this.running = await startServer({ port: this.port, dataDir: this.dataDir, seedDemo: true, logLevel: 'error', rateLimit: false, corsOrigins: [...this.origins], passwordHashing: TEST_PASSWORD_HASHING, ...this.options });
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
