import type { IdleVacuumTiming } from './pglite-vacuum.ts';

/** The one persistence interface the server uses; PostgreSQL and PGlite both implement it. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
}

export interface Database extends Queryable {
  readonly kind: 'postgresql' | 'pglite';
  /** Runs `work` in one transaction; rolls back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Subscribes to a NOTIFY channel; resolves once listening, to a function that stops it. A lost
   * listening connection (a PostgreSQL restart, a proxy's idle timeout) is made again, with backoff;
   * notices sent meanwhile are lost, so `onResume` is called once listening again: catch up there. A
   * catch-up that fails (throws or rejects) is called again later, with backoff, until it succeeds.
   */
  listen(channel: string, onPayload: (payload: string) => void, onResume?: () => void | Promise<void>): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… — when absent the server runs on PGlite. */
  databaseUrl?: string;
  /** PGlite data folder (or `memory://`). */
  dataDir?: string;
  /** PGlite only: when it is vacuumed (default IDLE_VACUUM, pglite-vacuum.ts); tests shorten it. */
  pgliteVacuum?: IdleVacuumTiming;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const { openPostgres } = await import('./postgres.ts');
    return openPostgres(options.databaseUrl);
  }
  const { openPglite } = await import('./pglite.ts');
  return openPglite(options.dataDir ?? 'memory://', options.pgliteVacuum);
}
