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

/** jsonb's binary format (PostgreSQL's jsonb_send / jsonb_recv): a version byte, then the JSON text in UTF-8. */
const JSONB_BINARY_VERSION = 1;

/**
 * `value` as a `$n::jsonb` parameter in jsonb's binary format (a Buffer, which both drivers send as a
 * binary parameter). For the large JSON arrays of batch writes (megabytes for a push of 5,000 sales):
 * as a string, PGlite's JavaScript counts its UTF-8 bytes character by character, twice, before
 * encoding it (about 50 ms of a 5,000-sale push, issue 16); Node's Buffer encodes it natively in one
 * pass. The server parses the text either way (jsonb_recv reads it with jsonb's text parser).
 * Only for parameters the statement casts to jsonb: another type would read the bytes as its own
 * binary format.
 */
export function jsonbParameter(value: unknown): Buffer {
  const text = JSON.stringify(value);
  const bytes = Buffer.allocUnsafe(1 + Buffer.byteLength(text));
  bytes[0] = JSONB_BINARY_VERSION;
  bytes.write(text, 1);
  return bytes;
}
