import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrations.ts';
import { buildApp, DEFAULT_RATE_LIMITS, type RateLimits } from '../http/app.ts';
import type { ServerContext } from '../http/context.ts';
import { createMetrics } from '../http/metrics.ts';
import { seedDemo, seedProducts } from '../seed/seed.ts';
import { ChangeHub } from '../sync/change-hub.ts';
import { defaultDataDir } from './data-dir.ts';
import { packageVersion } from './version.ts';

export interface StartOptions {
  /** 0 picks a free port. Default: PORT or 4010. */
  port?: number;
  host?: string;
  /** PostgreSQL URL; default DATABASE_URL; without one the server runs on PGlite. */
  databaseUrl?: string;
  /** PGlite data folder or `memory://`; default BALCAO_DATA_DIR or the user data folder. */
  dataDir?: string;
  /** Seed the demo stores when the database is empty. Default: true on PGlite, false on PostgreSQL. */
  seedDemo?: boolean;
  logLevel?: string;
  rateLimit?: false | Partial<RateLimits>;
  /** Seconds without a heartbeat before the monitor shows a station offline (POS-13). Default: BALCAO_STATION_ONLINE_SECONDS or 60. */
  stationOnlineSeconds?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  database: 'pglite' | 'postgresql';
  /** True when this start put the demo data in. */
  seeded: boolean;
  close(): Promise<void>;
  seedProducts(count: number, storeCode?: string): Promise<void>;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const onlineSeconds = stationOnlineSeconds(options.stationOnlineSeconds);
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  const db = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir: options.dataDir ?? defaultDataDir() });
  try {
    await migrate(db);
    const seeded = (options.seedDemo ?? db.kind === 'pglite') ? await seedDemo(db) : false;
    const hub = new ChangeHub(db);
    await hub.start();
    const ctx: ServerContext = { db, hub, metrics: createMetrics(), version: packageVersion(), openStreams: new Map(), stationOnlineSeconds: onlineSeconds };
    const rateLimit = options.rateLimit === false ? false : { ...DEFAULT_RATE_LIMITS, ...options.rateLimit };
    const app = await buildApp(ctx, { logLevel: options.logLevel ?? process.env.LOG_LEVEL ?? (process.env.VITEST ? 'warn' : 'info'), rateLimit });
    const port = options.port ?? Number(process.env.PORT ?? 4010);
    const host = options.host ?? '127.0.0.1';
    await app.listen({ port, host });
    const address = app.server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    let closed = false;
    return {
      url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actualPort}`,
      port: actualPort,
      database: db.kind,
      seeded,
      seedProducts: (count, storeCode = 'loja1') => seedProducts(db, storeCode, count),
      async close() {
        if (closed) return;
        closed = true;
        // Open event streams would keep the server from closing.
        app.server.closeAllConnections();
        await app.close();
        await hub.close();
        await db.close();
      },
    };
  } catch (error) {
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
