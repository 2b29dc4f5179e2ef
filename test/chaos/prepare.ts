import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MasterRecord } from '../../sync/schema/index.ts';
import { pairingCodeHash } from '../../sync/server/auth/codes.ts';
import { openDatabase, type Database } from '../../sync/server/db/database.ts';
import { lockStoreSequence, writeDocuments } from '../../sync/server/db/documents.ts';
import { migrate } from '../../sync/server/db/migrations.ts';
import { rearmDemoPairingCodes, seedDemo } from '../../sync/server/seed/seed.ts';
import { createScratchDatabase } from '../server/support/scratch-database.ts';
import type { ServerTarget } from './server-process.ts';

export type ChaosDatabase = 'pglite' | 'postgresql';

export const STORE = 'loja1';
const STATION_GROUP = `${STORE}-stationGroup-centro`;

export interface ChaosStationAccount {
  code: string;
  pairingCode: string;
}

export interface PreparedDatabase {
  kind: ChaosDatabase;
  target: ServerTarget;
  /** Temporary folder of the run: the PGlite data and the server's log. */
  folder: string;
  stations: ChaosStationAccount[];
  /** Removes the temporary folder and drops the scratch database. */
  dispose(): Promise<void>;
}

/** cx01 and cx02 come with the demo data; the run adds cx03, cx04, … with their own pairing codes. */
export function stationAccounts(count: number): ChaosStationAccount[] {
  return Array.from({ length: count }, (_, index) => {
    const code = `cx${String(index + 1).padStart(2, '0')}`;
    return { code, pairingCode: index < 2 ? `${code}-pair` : `chaos-${code}-pair` };
  });
}

/** A fresh database with the demo store and `stations` stations, ready for the server to open. */
export async function prepareDatabase(kind: ChaosDatabase, stations: number): Promise<PreparedDatabase> {
  const folder = await mkdtemp(join(tmpdir(), `balcao-chaos-${kind}-`));
  const accounts = stationAccounts(stations);
  let databaseUrl: string | undefined;
  let drop: () => Promise<void> = async () => undefined;
  try {
    if (kind === 'postgresql') ({ url: databaseUrl, drop } = await createScratchDatabase('balcao_chaos'));
    const target: ServerTarget = databaseUrl ? { databaseUrl } : { dataDir: join(folder, 'pglite') };
    const db = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir: target.dataDir! });
    try {
      await migrate(db);
      await seedDemo(db);
      // Pairing codes are single-use and expire: the demo stations' codes are armed once, for this run.
      await rearmDemoPairingCodes(db);
      await addStations(db, accounts.slice(2));
    } finally {
      await db.close();
    }
    return {
      kind,
      target,
      folder,
      stations: accounts,
      async dispose() {
        await drop();
        await rm(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await drop().catch(() => undefined);
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}

async function addStations(db: Database, accounts: readonly ChaosStationAccount[]): Promise<void> {
  if (accounts.length === 0) return;
  const hashes = accounts.map((account) => pairingCodeHash(account.pairingCode));
  const records: MasterRecord[] = accounts.map((account) => ({ id: `${STORE}-${account.code}`, kind: 'station', code: account.code, name: `Caixa ${account.code.slice(2)}`, active: true, groupId: STATION_GROUP }));
  await db.transaction(async (tx) => {
    for (const [index, account] of accounts.entries()) {
      await tx.query("INSERT INTO stations (id, store_id, code, name, group_id, pairing_code_hash, pairing_code_expires_at) VALUES ($1, $2, $3, $4, $5, $6, now() + interval '1 day')", [
        `${STORE}-${account.code}`,
        STORE,
        account.code,
        records[index]!.name,
        STATION_GROUP,
        hashes[index],
      ]);
    }
    await lockStoreSequence(tx, STORE);
    await writeDocuments(
      tx,
      STORE,
      'masterdata',
      records.map((record) => ({ id: record.id, stationId: null, data: record as unknown as Record<string, unknown>, deleted: false })),
    );
  });
}

