import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../../sync/server/db/database.ts';
import { migrate } from '../../../sync/server/db/migrations.ts';
import { seedDemo } from '../../../sync/server/seed/seed.ts';
import { storeDemoPasswordsForTests } from './password-hashing.ts';
import { PG_ADMIN_URL } from './scratch-database.ts';

/**
 * Migrated databases to copy instead of building each test server's database from nothing.
 *
 * Why: a fresh PGlite runs initdb inside WebAssembly (5–10 s of one core each), and every fresh
 * database then runs all migrations and, with the demo data, writes ~2,100 documents. The suites
 * start hundreds of servers; each now starts from a copy of one database built once per run by the
 * project's global setup (test/server/support/global-setup.ts): `CREATE DATABASE … TEMPLATE …` on
 * PostgreSQL, a copied data folder on PGlite. The server still runs `migrate` (finding nothing to
 * do), re-arms the demo pairing codes and begins its epoch on start, as on any restart.
 *
 * `empty` = migrated, no stores (a real first start); `demo` = migrated + the demo data.
 */
export interface DatabaseTemplates {
  /** PostgreSQL database names. */
  postgresql: { empty: string; demo: string };
  /** PGlite data folders (closed cleanly; copy, never open in place). */
  pglite: { empty: string; demo: string };
  /** The folder holding the PGlite templates, removed at teardown. */
  root: string;
}

export type TemplateContent = keyof DatabaseTemplates['postgresql'];

/** Where copied PGlite folders go: RAM (/dev/shm) when there is one, as `memory://` was. */
export function scratchRoot(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function databaseUrl(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withDatabase(open: Promise<Database>, work: (db: Database) => Promise<unknown>): Promise<void> {
  const db = await open;
  try {
    await work(db);
  } finally {
    await db.close();
  }
}

/**
 * `CREATE DATABASE name TEMPLATE template`. PostgreSQL refuses while another session is connected to
 * the template (55006); none should be, but a retry costs nothing if a closing one lingers.
 */
export async function createDatabaseFrom(name: string, template: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      return databaseUrl(name);
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/** The demo data, with its users' passwords at the test servers' cost (password-hashing.ts). */
async function seedDemoForTests(db: Database): Promise<void> {
  await seedDemo(db);
  await storeDemoPasswordsForTests(db);
}

/** A fresh copy of a PGlite template folder, under `root` (a new folder per call). */
export function copyPgliteTemplate(template: string, root = scratchRoot()): string {
  const dir = mkdtempSync(join(root, 'balcao-test-pglite-'));
  cpSync(template, dir, { recursive: true });
  return dir;
}

/** Copies a template's files into `dir` when `dir` is missing or empty (a first start); true when it did. */
export function fillIfEmpty(dir: string, template: string): boolean {
  if (existsSync(dir) && readdirSync(dir).length > 0) return false;
  mkdirSync(dir, { recursive: true });
  cpSync(template, dir, { recursive: true });
  return true;
}

async function buildPostgresTemplates(prefix: string): Promise<DatabaseTemplates['postgresql']> {
  const empty = `${prefix}_empty`;
  const demo = `${prefix}_demo`;
  await adminQuery(`CREATE DATABASE ${empty}`);
  await withDatabase(openDatabase({ databaseUrl: databaseUrl(empty) }), migrate);
  await createDatabaseFrom(demo, empty);
  await withDatabase(openDatabase({ databaseUrl: databaseUrl(demo) }), seedDemoForTests);
  return { empty, demo };
}

/** PGlite templates only (the e2e project needs no PostgreSQL). */
export async function buildPgliteTemplates(root: string, which: readonly TemplateContent[] = ['empty', 'demo']): Promise<Partial<DatabaseTemplates['pglite']>> {
  const empty = join(root, 'empty');
  await withDatabase(openDatabase({ dataDir: empty }), migrate);
  const built: Partial<DatabaseTemplates['pglite']> = {};
  if (which.includes('demo')) {
    const demo = join(root, 'demo');
    cpSync(empty, demo, { recursive: true });
    await withDatabase(openDatabase({ dataDir: demo }), seedDemoForTests);
    built.demo = demo;
  }
  if (which.includes('empty')) built.empty = empty;
  else rmSync(empty, { recursive: true, force: true });
  return built;
}

/** Both kinds, built side by side (PostgreSQL works in its own process while PGlite runs initdb here). */
export async function buildTemplates(): Promise<DatabaseTemplates> {
  const root = mkdtempSync(join(scratchRoot(), 'balcao-test-templates-'));
  const prefix = `balcao_tpl_${randomBytes(6).toString('hex')}`;
  const [postgresql, pglite] = await Promise.allSettled([buildPostgresTemplates(prefix), buildPgliteTemplates(root)]);
  if (postgresql.status === 'fulfilled' && pglite.status === 'fulfilled') {
    return { postgresql: postgresql.value, pglite: pglite.value as DatabaseTemplates['pglite'], root };
  }
  await dropTemplates({ postgresql: { empty: `${prefix}_empty`, demo: `${prefix}_demo` }, pglite: { empty: '', demo: '' }, root }).catch(() => undefined);
  throw postgresql.status === 'rejected' ? postgresql.reason : (pglite as PromiseRejectedResult).reason;
}

/** Drops what buildTemplates made. */
export async function dropTemplates(templates: DatabaseTemplates): Promise<void> {
  rmSync(templates.root, { recursive: true, force: true });
  for (const name of [templates.postgresql.demo, templates.postgresql.empty]) {
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}
