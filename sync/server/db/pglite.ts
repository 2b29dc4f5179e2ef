import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import type { Database, Queryable } from './database.ts';

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

  return {
    kind: 'pglite',
    ...queryOn(db),
    // PGlite has one connection: its transaction() holds it exclusively, which serialises writers.
    transaction: (work) => db.transaction((tx) => work(queryOn(tx))),
    async listen(channel, onPayload) {
      const stop = await db.listen(channel, onPayload);
      return async () => {
        await stop();
      };
    },
    close: () => db.close(),
  };
}
