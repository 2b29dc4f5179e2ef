import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import type { Database, Queryable } from './database.ts';
import { autoAnalyze } from './pglite-analyze.ts';

const parsers = { [types.INT8]: (value: string) => Number(value) };

export async function openPglite(dataDir: string): Promise<Database> {
  if (!dataDir.includes('://')) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, { parsers });

  const queryOn = (target: Pick<PGlite, 'query'>): Queryable => ({
    async query<Row>(sql: string, params?: unknown[]) {
      const result = await target.query<Row>(sql, params as unknown[]);
      return result.rows;
    },
  });

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
    close: () => db.close(),
  };
}
