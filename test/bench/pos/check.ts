import type { PosSummary, PullResponse } from '../../../sync/schema/index.ts';
import type { Central } from '../central.ts';

/** What the server holds after the upload, counted through its REST API and /metrics, never from the page. */
export interface ServerCheck {
  /** Sales of the station the server lists, and ids listed more than once. */
  stored: number;
  duplicates: number;
  writtenCounter: number;
  conflictCounter: number;
  quarantinedCounter: number;
  summary: { salesCount: number; paidCents: number; quarantinedSales: number };
  /** Products whose server stock is not exactly "before the upload − units sold". */
  stockMismatches: number;
  productsChecked: number;
}

async function get<T>(central: Central, path: string): Promise<T> {
  const response = await fetch(`${central.session.serverUrl}${path}`, { headers: { authorization: `Bearer ${central.session.adminToken}` } });
  if (!response.ok) throw new Error(`GET ${path} answered HTTP ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Every document of a collection, through the integration API's change feed. */
export async function listAll<T extends { id: string }>(central: Central, collection: string): Promise<T[]> {
  const all: T[] = [];
  let since = 0;
  for (;;) {
    const page = await get<PullResponse<T>>(central, `/api/v1/${collection}?since=${since}&limit=10000`);
    all.push(...page.documents.filter((doc) => !doc._deleted));
    if (page.documents.length < 10000 || !page.checkpoint) return all;
    since = page.checkpoint.seq;
  }
}

export async function stockOf(central: Central): Promise<Map<string, number>> {
  return new Map((await listAll<{ id: string; stock: number }>(central, 'products')).map((product) => [product.id, Number(product.stock)]));
}

function counter(metrics: string, name: string, collection: string): number {
  let total = 0;
  for (const line of metrics.split('\n')) {
    if (line.startsWith(`${name}{`) && line.includes(`collection="${collection}"`)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

export async function checkSales(central: Central, stockBefore: ReadonlyMap<string, number>, soldByProduct: Readonly<Record<string, number>>): Promise<ServerCheck> {
  const { stationId, serverUrl } = central.session;
  const seen = new Map<string, number>();
  for (const sale of await listAll<{ id: string; stationId: string }>(central, 'sales')) {
    if (sale.stationId === stationId) seen.set(sale.id, (seen.get(sale.id) ?? 0) + 1);
  }
  const stockAfter = await stockOf(central);
  let stockMismatches = 0;
  for (const [id, before] of stockBefore) if (stockAfter.get(id) !== before - (soldByProduct[id] ?? 0)) stockMismatches++;
  const summary = await get<PosSummary>(central, `/api/pos/summary?stationId=${encodeURIComponent(stationId)}`);
  const metrics = await (await fetch(`${serverUrl}/metrics`)).text();
  return {
    stored: seen.size,
    duplicates: [...seen.values()].filter((times) => times > 1).length,
    writtenCounter: counter(metrics, 'balcao_documents_written_total', 'sales'),
    conflictCounter: counter(metrics, 'balcao_push_conflicts_total', 'sales'),
    quarantinedCounter: counter(metrics, 'balcao_documents_quarantined_total', 'sales'),
    summary: { salesCount: summary.salesCount, paidCents: summary.paidCents, quarantinedSales: summary.waiting.quarantinedSales },
    stockMismatches,
    productsChecked: stockBefore.size,
  };
}
