import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrations.ts';
import { rearmDemoPairingCodes, seedDemo } from '../seed/seed.ts';
import { defaultDataDir } from './data-dir.ts';

/** `npm run seed`: demo data into DATABASE_URL or the embedded database; leaves a seeded database alone. */
const databaseUrl = process.env.DATABASE_URL;
const db = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir: defaultDataDir() });
try {
  await migrate(db);
  const seeded = await seedDemo(db);
  // Asked for explicitly: the documented demo pairing codes (cx01-pair, …) work once more, for a day.
  await rearmDemoPairingCodes(db);
  console.log(seeded ? `Demo data written to ${databaseUrl ? 'PostgreSQL' : defaultDataDir()}.` : 'The database already has stores; nothing was seeded (demo pairing codes re-armed).');
} finally {
  await db.close();
}
