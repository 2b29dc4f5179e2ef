import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL the suites may create scratch databases in (CI starts Debian's cluster). */
export const PG_ADMIN_URL = process.env.BALCAO_TEST_PG_URL ?? 'postgres://postgres:postgres@localhost:5432/postgres';

/** Runs `work` on a short-lived admin connection, closed whatever happens. */
async function asAdmin(work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, empty PostgreSQL database named `<prefix>_<12 hex>`; the returned `drop` removes it
 * (forcing off connections a killed server left behind). No vitest here: `npm run chaos` uses it too.
 */
export async function createScratchDatabase(prefix = 'balcao_test'): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await asAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => dropDatabase(name) };
}

/** Drops a database, forcing off connections a killed server left behind. */
export function dropDatabase(name: string): Promise<void> {
  return asAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
