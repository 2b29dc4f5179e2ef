import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../sync/server/db/database.ts';
import { autoAnalyze } from '../../sync/server/db/pglite-analyze.ts';
import { PGLITE_START_PARAMS } from '../../sync/server/db/pglite.ts';

/**
 * Issue 16: PGlite runs no autovacuum, so a table loaded from empty kept no statistics and the planner
 * read a whole store per batch upsert (~6 s per 1,000 prices at 1,000,000 products). autoAnalyze
 * stands in for autovacuum's ANALYZE with its default threshold (50 rows + 10 % of the table), looked
 * at most every 5 s. The clock is injected: the test steps it, it never waits.
 */
describe('PGlite statistics (no autovacuum there)', () => {
  let db: Database;
  let clock = 0;
  let check: () => Promise<void>;
  const stats = async () => {
    await db.query('SELECT pg_stat_force_next_flush()');
    const [row] = await db.query<{ tuples: number; changed: number | string }>(
      "SELECT reltuples AS tuples, pg_stat_get_mod_since_analyze(oid) AS changed FROM pg_class WHERE relname = 'analyze_probe'",
    );
    return { tuples: Number(row!.tuples), changed: Number(row!.changed) };
  };
  const insert = (from: number, count: number) => db.query('INSERT INTO analyze_probe SELECT g, $2 FROM generate_series($1::int, $1::int + $3::int - 1) AS g', [from, 'x', count]);

  beforeAll(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
    await db.query('CREATE TABLE analyze_probe (id int PRIMARY KEY, note text)');
    check = autoAnalyze(db, () => clock);
  });
  afterAll(async () => {
    await db.close();
  });

  it('a table that grew from empty is analysed at the first look', async () => {
    await insert(1, 1_000);
    expect(await stats()).toEqual({ tuples: -1, changed: 1_000 });
    await check();
    expect(await stats()).toEqual({ tuples: 1_000, changed: 0 });
  });

  it('fewer changes than 50 rows + 10 % leave the statistics alone; more are analysed again', async () => {
    await insert(1_001, 120);
    clock += 10_000;
    await check();
    expect(await stats()).toEqual({ tuples: 1_000, changed: 120 });
    await insert(1_121, 100);
    clock += 10_000;
    await check();
    expect(await stats()).toEqual({ tuples: 1_220, changed: 0 });
  });

  it('looks at most once per 5 s, however many transactions commit', async () => {
    await insert(1_221, 1_000);
    clock += 4_999;
    await check();
    expect((await stats()).changed).toBe(1_000);
    clock += 1;
    await check();
    expect(await stats()).toEqual({ tuples: 2_220, changed: 0 });
  });
});

describe('PGlite start parameters', () => {
  it('issue 16 full-page images are off only because PGlite already runs without fsync (-F): a crash of the process keeps every write whole', async () => {
    expect(PGLITE_START_PARAMS).toContain('-F');
    const db = await openDatabase({ dataDir: 'memory://' });
    try {
      const rows = await db.query<{ name: string; setting: string }>("SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'full_page_writes') ORDER BY name");
      expect(rows).toEqual([
        { name: 'fsync', setting: 'off' },
        { name: 'full_page_writes', setting: 'off' },
      ]);
    } finally {
      await db.close();
    }
  });

  it('issue 16 a new database has no page checksums, on disk (also when opened again) and in memory', async () => {
    const checksums = async (db: Database) => (await db.query<{ data_checksums: string }>('SHOW data_checksums'))[0]!.data_checksums;
    const dataDir = mkdtempSync(join(tmpdir(), 'balcao-pglite-params-'));
    try {
      for (const where of [dataDir, dataDir, 'memory://']) {
        const db = await openDatabase({ dataDir: where });
        try {
          expect(await checksums(db), where).toBe('off');
        } finally {
          await db.close();
        }
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
