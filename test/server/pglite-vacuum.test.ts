import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../sync/server/db/database.ts';
import { countedAsUse, idleVacuum, type IdleVacuum } from '../../sync/server/db/pglite-vacuum.ts';
import { adminToken, call, startTestServer, type TestServer } from './support/servers.ts';

/**
 * Issue 16: PGlite runs no autovacuum, so without this nothing would freeze old rows (a database
 * whose oldest unfrozen transaction id ages past ~2 billion refuses every write) nor make the space of
 * dead rows reusable. idleVacuum runs a database-wide VACUUM once the database has been idle, at most
 * every so often. The clock is injected: the test steps it, it never waits.
 */
describe('PGlite VACUUM when idle (no autovacuum there)', () => {
  let db: Database;
  let clock = 0;
  let vacuum: IdleVacuum;
  const timing = { idleMs: 10_000, everyMs: 600_000, forceAfterMs: 3_600_000, checkMs: 5_000 };
  const probe = async () => {
    await db.query('SELECT pg_stat_force_next_flush()');
    const [row] = await db.query<{ dead: number | string; vacuums: number | string; frozen_age: number | string }>(
      "SELECT n_dead_tup AS dead, vacuum_count AS vacuums, age(c.relfrozenxid) AS frozen_age FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname = 'vacuum_probe'",
    );
    return { dead: Number(row!.dead), vacuums: Number(row!.vacuums), frozenAge: Number(row!.frozen_age) };
  };
  // The queries the test makes, counted as use as the embedded server counts its own (countedAsUse).
  const use = async (sql: string) => {
    await countedAsUse(vacuum, db).query(sql);
  };

  beforeAll(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
    vacuum = idleVacuum(db, timing, () => clock);
    await use('CREATE TABLE vacuum_probe (id int PRIMARY KEY, note text)');
    await use("INSERT INTO vacuum_probe SELECT g, 'a' FROM generate_series(1, 2000) AS g");
  });
  afterAll(async () => {
    await db.close();
  });

  it('issue 16 waits until the database has been idle for idleMs: a busy server is never vacuumed under a sale', async () => {
    await use("UPDATE vacuum_probe SET note = 'b'");
    clock += timing.idleMs - 1;
    expect(await vacuum.tick()).toBe(false);
    await use('SELECT 1'); // any use starts the idle time again
    clock += timing.idleMs - 1;
    expect(await vacuum.tick()).toBe(false);
    expect(await probe()).toMatchObject({ dead: 2_000, vacuums: 0 });
  });

  it('issue 16 once idle, VACUUM reclaims the dead rows, and freezes a table whose oldest transaction id is old: the table and the database are young again', async () => {
    const databaseAge = async () => Number((await db.query<{ age: number | string }>('SELECT age(datfrozenxid) AS age FROM pg_database WHERE datname = current_database()'))[0]!.age);
    // Transactions that age the rows: each INSERT is one.
    for (let n = 0; n < 20; n += 1) await use(`INSERT INTO vacuum_probe VALUES (${3_000 + n}, 'c')`);
    const before = await probe();
    expect(before.frozenAge).toBeGreaterThanOrEqual(20);
    expect(await databaseAge()).toBeGreaterThanOrEqual(20);
    // A plain VACUUM freezes a table once its age passes vacuum_freeze_table_age (150 million ids, which no
    // test reaches); lowered to 0 here, every table is past it, as on a server that ran long enough.
    await db.query('SET vacuum_freeze_table_age = 0');
    await db.query('SET vacuum_freeze_min_age = 0');
    try {
      clock += timing.idleMs;
      expect(await vacuum.tick()).toBe(true);
    } finally {
      await db.query('RESET vacuum_freeze_table_age');
      await db.query('RESET vacuum_freeze_min_age');
    }
    expect(await probe()).toEqual({ dead: 0, vacuums: 1, frozenAge: 0 });
    // Database-wide (catalogs included), so the database's own horizon moves too: that is what wraparound counts.
    expect(await databaseAge()).toBeLessThan(5);
  });

  it('issue 16 runs at most every everyMs, however idle the database stays', async () => {
    await use("UPDATE vacuum_probe SET note = 'd' WHERE id <= 100");
    // Counts reach the shared statistics when flushed: flushed after the VACUUM, they would land on its report.
    expect(await probe()).toMatchObject({ dead: 100, vacuums: 1 });
    clock += timing.idleMs;
    expect(await vacuum.tick()).toBe(false);
    clock += timing.everyMs;
    expect(await vacuum.tick()).toBe(true);
    expect(await probe()).toMatchObject({ dead: 0, vacuums: 2 });
  });

  it('issue 16 a database never idle for idleMs (a query every idleMs / 2, as a few stations\' heartbeats make) is vacuumed all the same once forceAfterMs has passed since the last VACUUM', async () => {
    await use("UPDATE vacuum_probe SET note = 'e' WHERE id <= 50");
    expect(await probe()).toMatchObject({ dead: 50, vacuums: 2 });
    const lastVacuumAt = clock; // the previous test's VACUUM ran at this clock reading
    let ranAfter: number | null = null;
    while (ranAfter === null && clock - lastVacuumAt <= timing.forceAfterMs) {
      clock += timing.idleMs / 2;
      await use('SELECT 1');
      if (await vacuum.tick()) ranAfter = clock - lastVacuumAt;
    }
    expect(ranAfter).toBe(timing.forceAfterMs);
    expect(await probe()).toMatchObject({ dead: 0, vacuums: 3 });
  });
});

/**
 * The idle VACUUM is worth nothing if the running server itself never lets its database be idle: its
 * background workers (design jobs, webhooks, the change hub) must wait for work rather than poll. The
 * design job runner polled every 250 ms until this test: the VACUUM never ran on a real server.
 */
describe('PGlite VACUUM on a running server', () => {
  let server: TestServer;
  // Twice the old poll's period: a worker that polls more often than this keeps the VACUUM away.
  const timing = { idleMs: 500, everyMs: 0, forceAfterMs: 3_600_000, checkMs: 50 };

  beforeAll(async () => {
    server = await startTestServer('pglite', { seedDemo: true, embeddedVacuum: timing });
  });
  afterAll(async () => {
    await server.close();
  });

  it('issue 16 a server with nothing to do sends its database no query, so the VACUUM runs and reclaims what a price change left', async () => {
    const token = await adminToken(server);
    const changed = await call(server.url, 'POST', '/api/v1/products/batch', { token, body: { items: [{ sku: 'P000001', priceCents: 1_234 }, { sku: 'P000002', priceCents: 2_345 }] } });
    expect(changed.status).toBe(200);
    const documents = async () => {
      await server.query('SELECT pg_stat_force_next_flush()');
      const [row] = await server.query<{ dead: number | string; vacuums: number | string }>("SELECT n_dead_tup AS dead, vacuum_count AS vacuums FROM pg_stat_user_tables WHERE relname = 'documents'");
      return { dead: Number(row!.dead), vacuums: Number(row!.vacuums) };
    };
    const before = await documents();
    expect(before.dead).toBeGreaterThanOrEqual(2);
    // Each look is a query (use): looks 1.5 s apart leave the server idle for longer than idleMs between them.
    let after = before;
    for (let look = 0; look < 6 && (after.vacuums === before.vacuums || after.dead > 0); look += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      after = await documents();
    }
    expect(after.vacuums).toBeGreaterThan(before.vacuums);
    expect(after.dead).toBe(0);
  });
});
