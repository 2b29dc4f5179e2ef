import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrations.ts';
import { seedDemo } from '../seed/seed.ts';
import { defaultDataDir } from './data-dir.ts';

/** `npm run seed`: demo data into DATABASE_URL or the embedded database; leaves a seeded database alone. */
const databaseUrl = process.env.DATABASE_URL;
const db = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir: defaultDataDir() });
try {
  await migrate(db);
  const seeded = await seedDemo(db);
  console.log(seeded ? `Demo data written to ${databaseUrl ? 'PostgreSQL' : defaultDataDir()}.` : 'The database already has stores; nothing was seeded.');
} finally {
  await db.close();
}
