import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, inject } from 'vitest';
import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { COLLECTIONS, type CollectionName, type LoginResponse } from '../../sync/schema/index.ts';
import { conflictHandlerFor, migrationStrategiesFor } from '../../sync/client/index.ts';
import { startServer } from '../../sync/server/node/start.ts';
import { createScratchDatabase, type DatabaseKind } from './support/servers.ts';
import { createDatabaseFrom, fillIfEmpty, scratchRoot } from './support/templates.ts';
import { dropDatabase } from './support/scratch-database.ts';
import { TEST_PASSWORD_HASHING } from './support/password-hashing.ts';

const storage = getRxStorageMemory();
addRxPlugin(RxDBLocalDocumentsPlugin);
addRxPlugin(RxDBMigrationSchemaPlugin);

/** A device database like the renderer's, on RxDB's memory storage (named, so a "reload" reopens it). */
export async function openDeviceDb(name: string, collections: CollectionName[]): Promise<{ db: RxDatabase; cols: Record<string, RxCollection> }> {
  // As renderer/data/database.ts: the sync client keeps its checkpoints in local documents.
  const db = await createRxDatabase({ name, storage, localDocuments: true });
  const spec: Record<string, { schema: unknown; conflictHandler: unknown; migrationStrategies: unknown }> = {};
  for (const collection of collections) {
    spec[collection] = { schema: COLLECTIONS[collection].schema, conflictHandler: conflictHandlerFor(collection), migrationStrategies: migrationStrategiesFor(collection) };
  }
  const cols = (await db.addCollections(spec as never)) as Record<string, RxCollection>;
  return { db, cols };
}

export async function login(url: string, userCode = 'admin', password = 'admin123'): Promise<LoginResponse> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ storeCode: 'loja1', userCode, password }),
  });
  if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as LoginResponse;
}

/** A CPF with valid check digits, unique per n. */
export function cpf(n: number): string {
  const base = String(100_000_000 + n).slice(-9).split('').map(Number);
  const digit = (digits: number[]): number => {
    const sum = digits.reduce((acc, d, i) => acc + d * (digits.length + 1 - i), 0);
    const rest = (sum * 10) % 11;
    return rest === 10 ? 0 : rest;
  };
  const first = digit(base);
  const second = digit([...base, first]);
  return [...base, first, second].join('');
}

export function customer(n: number): Record<string, unknown> {
  return { id: `c-test-${n}`, name: `Cliente ${n}`, taxId: cpf(n), active: true, updatedAt: new Date().toISOString() };
}

/**
 * Waits until `check` holds, looking every 50 ms; throws naming `what` after `timeoutMs`. The timeout is
 * a hang guard, not a bound on how fast the app must be (two server files run at a time on a shared
 * machine), so it is generous.
 */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export type Server = Awaited<ReturnType<typeof startServer>>;

/** Where a server keeps its data, so a second start finds what the first one wrote. */
export type DataPlace = { dataDir: string } | { databaseUrl: string };

/**
 * What a sync-client test file starts (servers, devices, data folders, scratch databases) is undone
 * after each test, last started first. Call once at the top of the file.
 */
export function cleanupAfterEach() {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });
  // The run's migrated demo databases (test/server/support/templates.ts): a server here starts from a
  // copy instead of paying PGlite's initdb, the migrations and the seeding each time (the same content a
  // fresh seeded start makes). Without templates (global setup failed) every server builds its own.
  const templates = inject('balcaoTemplates') ?? null;
  const place = async (kind: DatabaseKind): Promise<DataPlace> => {
    if (kind === 'postgresql') {
      if (templates) {
        const name = `balcao_test_${randomBytes(6).toString('hex')}`;
        const url = await createDatabaseFrom(name, templates.postgresql.demo);
        cleanups.push(() => dropDatabase(name));
        return { databaseUrl: url };
      }
      const scratch = await createScratchDatabase();
      cleanups.push(scratch.drop);
      return { databaseUrl: scratch.url };
    }
    // Empty until a server starts on it (server() fills it from the template then): a test may copy
    // files into it first, as the restore-from-backup story does.
    const dir = await mkdtemp(join(scratchRoot(), 'balcao-sync-client-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    return { dataDir: dir };
  };
  return {
    cleanups,
    /** A data place of its own for `kind`: a PGlite folder or a PostgreSQL database (with the demo data once a server starts on it). */
    place,
    /**
     * A real central server with the demo data on `kind`: on a fresh database, or on `at` (to start it
     * again on the same data, e.g. on the same `port` after an outage).
     */
    async server(kind: DatabaseKind, at?: DataPlace, port = 0): Promise<Server> {
      const where = at ?? (kind === 'pglite' && !templates ? { dataDir: 'memory://' } : await place(kind));
      // A first start on an empty PGlite folder: copy the demo template into it (as a seeded first start would fill it).
      if (templates && 'dataDir' in where && where.dataDir !== 'memory://') fillIfEmpty(where.dataDir, templates.pglite.demo);
      const started = await startServer({ port, ...where, seedDemo: true, passwordHashing: TEST_PASSWORD_HASHING });
      cleanups.push(() => started.close());
      return started;
    },
  };
}
