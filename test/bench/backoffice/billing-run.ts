/**
 * Benchmark of the monthly billing run (BO-05; issue 11 target ≤ 5 s): 5,000 active contracts with two
 * service lines each and 100,000 consumption records in the period, on PGlite and on PostgreSQL
 * (BALCAO_TEST_PG_URL). Documents are inserted set-based straight into `documents` (the guards are
 * not what is measured). Part of `npm run bench` (after the spreadsheets; PostgreSQL only when
 * BALCAO_TEST_PG_URL is set, BENCH_BILLING=0 skips it); alone: `npx tsx test/bench/backoffice/billing-run.ts`.
 */
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { openDatabase, type Database } from '../../../sync/server/db/database.ts';
import { migrate } from '../../../sync/server/db/migrations.ts';
import { runBilling } from '../../../sync/server/backoffice/billing-run.ts';
import { createScratchDatabase } from '../../server/support/servers.ts';

const CONTRACTS = Number(process.env.BENCH_CONTRACTS ?? 5_000);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);

async function fill(db: Database): Promise<void> {
  await db.query("INSERT INTO stores (id, code, name) VALUES ('bench', 'bench', 'Bench')");
  await db.query("INSERT INTO store_seq (store_id, last) VALUES ('bench', 0)");
  await db.query(`INSERT INTO documents (store_id, collection, id, seq, data)
    VALUES ('bench', 'backoffice', 'svc-fee', 1, '{"id":"svc-fee","kind":"service","code":"FEE","name":"Fee","monthlyFeeCents":4990,"updatedAt":"2026-11-01T00:00:00.000Z"}'),
           ('bench', 'backoffice', 'svc-min', 2, '{"id":"svc-min","kind":"service","code":"MIN","name":"Min","unit":"min","unitPriceCents":12,"includedQuantity":100,"updatedAt":"2026-11-01T00:00:00.000Z"}')`);
  await db.query(
    `INSERT INTO documents (store_id, collection, id, seq, data)
     SELECT 'bench', 'backoffice', 'ct-' || n, 10 + n, jsonb_build_object(
       'id', 'ct-' || n, 'kind', 'contract', 'code', 'C' || n, 'customerId', 'cu-' || n, 'startDate', '2026-01-01', 'billingDay', 1 + n % 28,
       'state', 'active', 'updatedAt', '2026-11-01T00:00:00.000Z',
       'lines', jsonb_build_array(jsonb_build_object('id', 'l1', 'serviceId', 'svc-fee', 'quantity', 1), jsonb_build_object('id', 'l2', 'serviceId', 'svc-min', 'quantity', 1)),
       'history', jsonb_build_array(jsonb_build_object('at', '2026-01-01T00:00:00.000Z', 'action', 'activate', 'from', 'draft', 'to', 'active', 'userId', 'u')))
       FROM generate_series(1, $1::int) AS n`,
    [CONTRACTS],
  );
  await db.query(
    `INSERT INTO documents (store_id, collection, id, seq, data)
     SELECT 'bench', 'consumption', 'u-' || n, 100000 + n, jsonb_build_object(
       'id', 'u-' || n, 'contractId', 'ct-' || (1 + n % $2::int), 'serviceId', 'svc-min', 'quantity', 1 + n % 50,
       'date', to_char(date '2026-11-01' + (n % 30), 'YYYY-MM-DD'), 'externalId', 'u-' || n, 'updatedAt', '2026-11-01T00:00:00.000Z')
       FROM generate_series(1, $1::int) AS n`,
    [RECORDS, CONTRACTS],
  );
  await db.query('ANALYZE documents');
}

const TARGET_SECONDS = 5;

/** Seconds of the first run; the second must create nothing (idempotent). */
async function measure(kind: string, db: Database): Promise<{ seconds: number; idempotent: boolean }> {
  await migrate(db);
  await fill(db);
  const started = performance.now();
  const first = await runBilling(db, 'bench', '2026-11', 'bench');
  const firstMs = performance.now() - started;
  const again = performance.now();
  const second = await runBilling(db, 'bench', '2026-11', 'bench');
  const secondMs = performance.now() - again;
  const load = loadavg().map((value) => value.toFixed(2)).join(' ');
  console.log(`${kind}: billing run of ${CONTRACTS} contracts / ${RECORDS} consumption records: ${(firstMs / 1000).toFixed(2)} s (target ≤ ${TARGET_SECONDS} s: ${firstMs / 1000 <= TARGET_SECONDS ? 'met' : 'MISSED'}; ${first.created} receivables, ${first.amountCents} cents); second run ${(secondMs / 1000).toFixed(2)} s, ${second.created} created; load average ${load}`);
  return { seconds: firstMs / 1000, idempotent: second.created === 0 };
}

/** Runs the billing bench on PGlite (and PostgreSQL when BALCAO_TEST_PG_URL is set); 1 when a second run created anything. */
export async function runBillingBench(): Promise<number> {
  if (process.env.BENCH_BILLING === '0') return 0;
  console.log('Billing run (issue 11, BO-05) — npx tsx test/bench/backoffice/billing-run.ts (or npm run bench)');
  let code = 0;
  const pglite = await openDatabase({ dataDir: 'memory://' });
  try {
    if (!(await measure('pglite', pglite)).idempotent) code = 1;
  } finally {
    await pglite.close();
  }
  if (!process.env.BALCAO_TEST_PG_URL) return code;
  const scratch = await createScratchDatabase();
  const postgres = await openDatabase({ databaseUrl: scratch.url });
  try {
    if (!(await measure('postgresql', postgres)).idempotent) code = 1;
  } finally {
    await postgres.close();
    await scratch.drop();
  }
  return code;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runBillingBench().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`Billing benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
