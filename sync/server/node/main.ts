import { startServer } from './start.ts';

/**
 * `npm run server`: the central API on PORT (default 4010), PostgreSQL with DATABASE_URL, else PGlite.
 * Demo data only with BALCAO_DEMO=1; otherwise a server without an administrator prints a one-time
 * setup code for POST /api/setup.
 */
const server = await startServer({ host: process.env.HOST ?? '127.0.0.1' });
console.log(`Balcão server on ${server.url} (${server.database})${server.seeded ? ' — demo data seeded' : ''}; API docs at ${server.url}/docs`);

const stop = async () => {
  await server.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
