import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import type { Database, Queryable } from './database.ts';
import { autoAnalyze } from './pglite-analyze.ts';
import { countedAsUse, IDLE_VACUUM, idleVacuum, type IdleVacuumTiming } from './pglite-vacuum.ts';

const parsers = { [types.INT8]: (value: string) => Number(value) };

/**
 * A jsonb parameter given as bytes (jsonbParameter in database.ts: jsonb's binary format) goes to
 * PostgreSQL as they are, in binary; anything else as PGlite's own jsonb serializer sends it (a string
 * as it is, any other value as JSON text, bigints as strings).
 */
const serializers = {
  [types.JSONB]: (value: unknown) =>
    ArrayBuffer.isView(value) ? value : typeof value === 'string' ? value : JSON.stringify(value, (_key, field: unknown) => (typeof field === 'bigint' ? field.toString() : field)),
};

/**
 * PGlite's own start parameters, plus `full_page_writes=off`. Why it is safe: PGlite already runs with
 * `-F` (fsync off, see PGlite.defaultStartParams), so nothing it writes is durable against an operating
 * system crash or a power cut, which are the only failures full-page images guard against (a page half
 * written by the disk); a crash of the process leaves every write it made whole in the system's cache.
 * Why it is worth it: after a restart every page's first change logs its whole 8 kB, and a price change
 * of 10,000 products at 1,000,000 touches about 4,000 pages per batch of 1,000: 2.26–2.34 s with the
 * images against 2.05–2.10 s without (issue 16, a fresh copy of the seeded database each run:
 * `npx tsx test/bench/integration/price-change-stream.ts`). A deployment that needs durability against
 * power cuts runs on PostgreSQL, as the README's scaling plan says.
 */
export const PGLITE_START_PARAMS: readonly string[] = [...PGlite.defaultStartParams, '-c', 'full_page_writes=off'];

/**
 * initdb's parameters for a new PGlite database: without data checksums, PostgreSQL's default until
 * version 17 (PGlite 0.5 is PostgreSQL 18, whose initdb turned them on). Why: PGlite computes a checksum
 * in WebAssembly for every page it reads from the file system or writes back, and a price change at
 * 1,000,000 products reads and evicts thousands of cold pages per batch of 1,000 (issue 16; the README's
 * "PGlite's page checksums" gives the figures). What is given up: detecting a page the disk
 * corrupted. PGlite already runs without fsync and without full-page images (above), so it is not the
 * database for storage that cannot be trusted; a deployment that needs that runs on PostgreSQL (README,
 * scaling plan). A database made before this keeps its checksums (initdb chooses them once).
 */
export const PGLITE_INITDB_PARAMS: readonly string[] = ['--no-data-checksums'];

/** Opens (creating when missing) the PGlite database in `dataDir` (or `memory://`); `vacuumTiming` is for tests (default IDLE_VACUUM). */
export async function openPglite(dataDir: string, vacuumTiming: IdleVacuumTiming = IDLE_VACUUM): Promise<Database> {
  if (!dataDir.includes('://')) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, { parsers, serializers: serializers as never, startParams: [...PGLITE_START_PARAMS], initDbStartParams: [...PGLITE_INITDB_PARAMS] });

  const plain = (target: Pick<PGlite, 'query'>): Queryable => ({
    async query<Row>(sql: string, params?: unknown[]) {
      const result = await target.query<Row>(sql, params as unknown[]);
      return result.rows;
    },
  });
  // No autovacuum runs in PGlite: VACUUM when idle (pglite-vacuum.ts). Every query, in a transaction or not, counts as use.
  const vacuum = idleVacuum(plain(db), vacuumTiming);
  const vacuumTimer = setInterval(() => void vacuum.tick().catch(() => undefined), vacuumTiming.checkMs);
  vacuumTimer.unref();
  const queryOn = (target: Pick<PGlite, 'query'>): Queryable => countedAsUse(vacuum, plain(target));

  const analyzeIfStale = autoAnalyze(queryOn(db));
  return {
    kind: 'pglite',
    ...queryOn(db),
    // PGlite has one connection: its transaction() holds it exclusively, which serialises writers.
    transaction: async (work) => {
      const result = await db.transaction((tx) => work(queryOn(tx)));
      // The transaction has committed: a failed ANALYZE (the database closing) must not make it look failed.
      await analyzeIfStale().catch(() => undefined);
      return result;
    },
    async listen(channel, onPayload) {
      const stop = await db.listen(channel, onPayload);
      return async () => {
        await stop();
      };
    },
    async close() {
      clearInterval(vacuumTimer);
      await vacuum.settled();
      await db.close();
    },
  };
}
