/**
 * Webhook bench (issue 13, API-02), alone: `npx tsx test/bench/webhooks/run.ts` (not part of `npm run bench`).
 * A real server in this process on PGlite (memory) and — when BALCAO_TEST_PG_URL is set — on a scratch
 * PostgreSQL database, with one subscription to a local receiver that answers 204 at once. Phases:
 * 1. the outbox insert: enqueueEvents of BENCH_WEBHOOK_EVENTS (5,000) events in one transaction, one statement;
 * 2. delivery: from the commit until the receiver has every message, signed, through the worker (4 at once: one subscription's cap);
 * 3. the cost on a write path: POST /api/v1/stock/adjustments, 200 one after another, without and then with
 *    a stock.below_level subscription (each adjustment crosses the level, so each one queues an event).
 */
import { performance } from 'node:perf_hooks';
import { startServer, type RunningServer } from '../../../sync/server/node/start.ts';
import { enqueueEvents } from '../../../sync/server/webhooks/outbox.ts';
import { Receiver } from '../../server/webhooks/receiver.ts';
import { createScratchDatabase } from '../../server/support/servers.ts';

const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 5_000);
const ADJUSTMENTS = 200;

async function json(server: RunningServer, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any -- bench reads arbitrary JSON
  const response = await fetch(server.url + path, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body !== undefined ? JSON.stringify(body) : undefined });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function adjustments(server: RunningServer, token: string, label: string): Promise<number> {
  const started = performance.now();
  for (let n = 0; n < ADJUSTMENTS; n++) {
    // Up 10 then down 10 around the level 5 (stock 1 → 11 → 1): every second adjustment crosses it.
    const answer = await json(server, token, 'POST', '/api/v1/stock/adjustments', { id: `${label}-${n}`, sku: 'BENCH-WH', delta: n % 2 === 0 ? 10 : -10, reason: 'bench' });
    if (answer.status !== 201) throw new Error(`adjustment: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return (performance.now() - started) / ADJUSTMENTS;
}

async function bench(kind: 'pglite' | 'postgresql'): Promise<void> {
  const scratch = kind === 'postgresql' ? await createScratchDatabase() : null;
  const server = await startServer({ port: 0, seedDemo: true, logLevel: 'error', rateLimit: false, ...(scratch ? { databaseUrl: scratch.url } : { dataDir: 'memory://' }), webhooks: { allowPrivateNetworks: true } });
  const receiver = await Receiver.start();
  try {
    const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ storeCode: 'loja1', userCode: 'admin', password: 'admin123' }) });
    const token = ((await login.json()) as { token: string }).token;
    const made = await json(server, token, 'POST', '/api/v1/webhooks/subscriptions', { url: receiver.url, eventTypes: ['contract.changed'] });
    receiver.secrets = [made.body.secret];

    const events = Array.from({ length: EVENTS }, (_, n) => ({ type: 'contract.changed' as const, resourceId: `ct-${n}`, data: { id: `ct-${n}`, state: 'active', lines: [{ serviceId: 's1', quantity: 1 }] } }));
    const t0 = performance.now();
    await server.db.transaction((tx) => enqueueEvents(tx, 'loja1', events));
    const enqueueMs = performance.now() - t0;
    await receiver.until(() => receiver.unique.size >= EVENTS, 600_000);
    const deliverySeconds = (performance.now() - t0) / 1000;

    await json(server, token, 'POST', '/api/v1/products/batch', { items: [{ sku: 'BENCH-WH', name: 'Bench', unit: 'UN', priceCents: 100, groupId: 'loja1-grp-hidraulica', barcode: '7890000099999', stock: 1 }] });
    const without = await adjustments(server, token, 'no-sub');
    await json(server, token, 'POST', '/api/v1/webhooks/subscriptions', { url: receiver.url, eventTypes: ['stock.below_level'], stockLevel: 5 });
    const withSub = await adjustments(server, token, 'sub');
    console.log(
      `${kind}: enqueue ${EVENTS} events in one statement ${enqueueMs.toFixed(0)} ms (${((enqueueMs * 1000) / EVENTS).toFixed(1)} µs/event); ` +
        `delivered and verified ${EVENTS} in ${deliverySeconds.toFixed(1)} s (${(EVENTS / deliverySeconds).toFixed(0)} msg/s); ` +
        `stock adjustment ${without.toFixed(2)} ms without a subscription, ${withSub.toFixed(2)} ms with one (half of them queue an event)`,
    );
  } finally {
    await server.close();
    await receiver.close();
    await scratch?.drop();
  }
}

await bench('pglite');
if (process.env.BALCAO_TEST_PG_URL) await bench('postgresql');
console.log('command: npx tsx test/bench/webhooks/run.ts (BALCAO_TEST_PG_URL set for PostgreSQL)');
