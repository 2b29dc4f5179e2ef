/**
 * Profiling aid (not part of `npm run bench`): one push of BENCH_SHEET_ROWS (10,000) consumption records
 * to a PGlite server in this process, timed; run with `node --cpu-prof` through tsx to see where the
 * server spends it: `npx tsx --cpu-prof --cpu-prof-dir=/tmp/prof test/bench/sheets/push-profile.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../../sync/server/node/start.ts';
import { withCpfCheckDigits } from '../../../sync/rules/tax-id.ts';
import { positive } from '../harness.ts';

const rows = positive('BENCH_SHEET_ROWS', 10_000);
const dataDir = mkdtempSync(join(tmpdir(), 'balcao-push-profile-'));
const server = await startServer({ port: 0, dataDir, seedDemo: true, logLevel: 'error', rateLimit: false, announce: () => undefined });
try {
  const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ storeCode: 'loja1', userCode: 'retaguarda', password: 'retaguarda123' }) });
  const { token } = (await login.json()) as { token: string };
  const at = new Date().toISOString();
  const push = async (collection: string, docs: Record<string, unknown>[]) => {
    const response = await fetch(`${server.url}/api/sync/${collection}/push`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(docs.map((doc) => ({ newDocumentState: { ...doc, _deleted: false }, assumedMasterState: null }))) });
    const body = (await response.json()) as unknown[];
    if (!response.ok || body.length) throw new Error(`push ${collection}: HTTP ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  };
  await push('customers', Array.from({ length: 50 }, (_, i) => ({ id: `cust-${i}`, name: `Cliente ${i}`, taxId: withCpfCheckDigits(String(400_000_000 + i)), active: true, updatedAt: at })));
  await push('backoffice', [
    { id: 'svc-min', kind: 'service', code: 'MIN', name: 'Minutos', active: true, monthlyFeeCents: 1000, unit: 'min', unitPriceCents: 12, updatedAt: at },
    ...Array.from({ length: 50 }, (_, i) => ({ id: `ct-${i}`, kind: 'contract', code: `CT-${i}`, customerId: `cust-${i}`, startDate: '2026-01-01', billingDay: 10, state: 'draft', history: [], lines: [{ id: `ct-${i}-l`, serviceId: 'svc-min', quantity: 1 }], updatedAt: at })),
  ]);
  const records = Array.from({ length: rows }, (_, i) => ({ id: `rec-${String(i).padStart(6, '0')}`, externalId: `EXT-${i}`, contractId: `ct-${i % 50}`, serviceId: 'svc-min', quantity: 1 + (i % 500), date: `2026-10-${String(1 + (i % 28)).padStart(2, '0')}`, description: `linha ${i}`, updatedAt: at }));
  const started = performance.now();
  const startedUs = process.hrtime.bigint() / 1000n;
  // The push route takes at most 5,000 documents a request.
  for (let start = 0; start < rows; start += 5000) await push('consumption', records.slice(start, start + 5000));
  // The monotonic clock of V8's profiles: `--cpu-prof` samples between these two are the pushes'.
  process.stdout.write(`push of ${rows} consumption records (5,000 a request): ${((performance.now() - started) / 1000).toFixed(2)} s (monotonic µs ${startedUs}–${process.hrtime.bigint() / 1000n})\n`);
} finally {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
