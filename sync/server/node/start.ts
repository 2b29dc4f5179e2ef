import { CredentialGuard } from '../auth/attempts.ts';
import { LiveSessions } from '../auth/sessions.ts';
import { checkedScryptParams, SCRYPT_PARAMS, type ScryptParams } from '../auth/secrets.ts';
import { FirstSetup } from '../auth/setup.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { beginEpoch } from '../db/epochs.ts';
import { migrate } from '../db/migrations.ts';
import type { IdleVacuumTiming } from '../db/pglite-vacuum.ts';
import { APP_ORIGIN, buildApp, DEFAULT_RATE_LIMITS, DEFAULT_TIMEOUTS, type RateLimits, type Timeouts } from '../http/app.ts';
import type { ServerContext } from '../http/context.ts';
import { createMetrics } from '../http/metrics.ts';
import { rearmDemoPairingCodes, seedDemo, seedProducts } from '../seed/seed.ts';
import { ChangeHub } from '../sync/change-hub.ts';
import { defaultDataDir } from './data-dir.ts';
import { packageVersion } from './version.ts';
import { WebhookWorker, type WebhookOptions } from '../webhooks/worker.ts';

export interface StartOptions {
  /** 0 picks a free port. Default: PORT or 4010. */
  port?: number;
  host?: string;
  /** PostgreSQL URL; default DATABASE_URL; without one the server runs on PGlite. */
  databaseUrl?: string;
  /** PGlite data folder or `memory://`; default BALCAO_DATA_DIR or the user data folder. */
  dataDir?: string;
  /**
   * Demo data, only when asked: seeds the demo stores into an empty database, and makes the demo
   * stations' documented pairing codes (cx01-pair, …) usable once more on each start. Default:
   * BALCAO_DEMO=1, else false. Without demo data a server with no administrator prints a one-time
   * setup code (POST /api/setup).
   */
  seedDemo?: boolean;
  logLevel?: string;
  rateLimit?: false | Partial<RateLimits>;
  /** Seconds without a heartbeat before the monitor shows a station offline (POS-13). Default: BALCAO_STATION_ONLINE_SECONDS or 60. */
  stationOnlineSeconds?: number;
  /**
   * Browser origins that may call the API besides Electron's `app://balcao` (the web host's, e.g.
   * `http://127.0.0.1:4011`). Default: BALCAO_CORS_ORIGINS, comma-separated. More can be added later
   * with `allowOrigin`.
   */
  corsOrigins?: readonly string[];
  /** Request, head, idle and keep-alive timeouts; default DEFAULT_TIMEOUTS. */
  timeouts?: Partial<Timeouts>;
  /** Static bearer token that may read /metrics (Prometheus). Default: BALCAO_METRICS_TOKEN; without it only admins' sessions may. */
  metricsToken?: string | null;
  /** Where the setup code is announced; default the console. */
  announce?: (line: string) => void;
  /** Webhook delivery (API-02): clock, timeouts, local receivers allowed (see webhooks/worker.ts WebhookOptions). */
  webhooks?: WebhookOptions;
  /**
   * The scrypt cost new password hashes get, and below which a stored hash is replaced at sign-in.
   * Default SCRYPT_PARAMS (OWASP's). For test suites only, which sign in hundreds of times (as Django's
   * and Rails' test settings lower their hashers' cost): at least SCRYPT_TEST_FLOOR, never read from
   * the environment, so no deployment can lower it by configuration. An invalid cost fails the start.
   */
  passwordHashing?: ScryptParams;
  /** PGlite only: when the embedded database is vacuumed while idle. Default IDLE_VACUUM (pglite-vacuum.ts); for tests, which shorten it. */
  embeddedVacuum?: IdleVacuumTiming;
}

export interface RunningServer {
  url: string;
  port: number;
  database: 'pglite' | 'postgresql';
  /** True when this start put the demo data in. */
  seeded: boolean;
  /** The one-time setup code while the server has no administrator (printed at start), else null. */
  readonly setupCode: string | null;
  /** Grants CORS to one more browser origin (e.g. a web host started after the server). */
  allowOrigin(origin: string): void;
  close(): Promise<void>;
  seedProducts(count: number, storeCode?: string): Promise<void>;
  /** The server's own database connection, for tools and tests in the same process (e.g. to age a pairing code). */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** The same database with transactions, for tests that write as the server does (e.g. a record as an older version stored it). */
  db: Database;
  /** The webhook delivery worker (tests step it: runDue, sweep). */
  webhooks: WebhookWorker;
}

function envFlag(name: string): boolean {
  return /^(1|true|yes)$/i.test(process.env[name] ?? '');
}

function originsFromEnv(): string[] {
  return (process.env.BALCAO_CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter((origin) => origin.length > 0);
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const onlineSeconds = stationOnlineSeconds(options.stationOnlineSeconds);
  const announce = options.announce ?? ((line: string) => console.log(line));
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  const host = options.host ?? '127.0.0.1';
  const db = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir: options.dataDir ?? defaultDataDir(), ...(options.embeddedVacuum ? { pgliteVacuum: options.embeddedVacuum } : {}) });
  const liveSessions = new LiveSessions();
  const hub = new ChangeHub(db);
  let webhooks: WebhookWorker | null = null;
  try {
    await migrate(db);
    const demo = options.seedDemo ?? envFlag('BALCAO_DEMO');
    const seeded = demo ? await seedDemo(db) : false;
    if (demo) {
      await rearmDemoPairingCodes(db);
      if (!isLoopback(host)) announce(`Warning: demo data (known passwords and pairing codes) on a server listening on ${host}. Use it for demonstrations only.`);
    }
    const setup = await FirstSetup.prepare(db);
    await beginEpoch(db);
    await hub.start();
    await liveSessions.start(db);
    const version = packageVersion();
    webhooks = new WebhookWorker(db, `Balcao-Webhooks/${version}`, options.webhooks);
    const limits = options.rateLimit === false ? false : { ...DEFAULT_RATE_LIMITS, ...options.rateLimit };
    const ctx: ServerContext = {
      db,
      hub,
      metrics: createMetrics(),
      version,
      webhooks,
      openStreams: new Map(),
      stationOnlineSeconds: onlineSeconds,
      liveSessions,
      credentials: limits
        ? new CredentialGuard({ failuresPerMinute: limits.credentialsPerMinute, failuresPerAddressPerMinute: limits.credentialsPerAddressPerMinute, accountsPerPasswordPerMinute: limits.accountsPerPasswordPerMinute })
        : null,
      setup,
      metricsToken: options.metricsToken !== undefined ? options.metricsToken : (process.env.BALCAO_METRICS_TOKEN || null),
      passwordHashing: options.passwordHashing ? checkedScryptParams(options.passwordHashing) : SCRYPT_PARAMS,
    };
    const allowedOrigins = new Set([APP_ORIGIN, ...(options.corsOrigins ?? originsFromEnv())]);
    const app = await buildApp(ctx, {
      logLevel: options.logLevel ?? process.env.LOG_LEVEL ?? (process.env.VITEST ? 'warn' : 'info'),
      rateLimit: limits,
      allowedOrigins,
      timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
    });
    const port = options.port ?? Number(process.env.PORT ?? 4010);
    await app.listen({ port, host });
    await webhooks.start((message) => app.log.error(message));
    const address = app.server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actualPort}`;
    if (setup.pendingCode) {
      announce(`No administrator yet. Set this server up once with the setup code ${setup.pendingCode}: POST ${url}/api/setup (see ${url}/docs). The code works until an administrator exists.`);
    }
    let closed = false;
    return {
      url,
      port: actualPort,
      database: db.kind,
      seeded,
      get setupCode() {
        return setup.pendingCode;
      },
      allowOrigin: (origin) => void allowedOrigins.add(origin),
      seedProducts: (count, storeCode = 'loja1') => seedProducts(db, storeCode, count),
      query: (sql, params) => db.query(sql, params),
      db,
      webhooks,
      async close() {
        if (closed) return;
        closed = true;
        await webhooks!.stop();
        // Open event streams would keep the server from closing.
        app.server.closeAllConnections();
        await app.close();
        await liveSessions.close();
        await hub.close();
        await db.close();
      },
    };
  } catch (error) {
    await webhooks?.stop().catch(() => undefined);
    await liveSessions.close().catch(() => undefined);
    await hub.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw error;
  }
}

function stationOnlineSeconds(option: number | undefined): number | undefined {
  const value = option ?? (process.env.BALCAO_STATION_ONLINE_SECONDS ? Number(process.env.BALCAO_STATION_ONLINE_SECONDS) : undefined);
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`The station offline threshold must be a positive number of seconds, not ${String(value)} (BALCAO_STATION_ONLINE_SECONDS or stationOnlineSeconds).`);
  return value;
}
