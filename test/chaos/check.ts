import type { IntegrationError, Sale } from '../../sync/schema/index.ts';
import { stableJson } from '../../sync/server/sync/stable-json.ts';
import type { StationSnapshot } from './station.ts';

type Doc = Record<string, unknown>;

/** What the server holds, read straight from it (not through the proxy) with the admin's session. */
export interface ServerState {
  sales: Map<string, Doc>;
  auditEvents: Map<string, Doc>;
  cashMovements: Map<string, Doc>;
  stock: Map<string, number>;
  /** Ids the change feed served more than once in one full read from checkpoint 0. */
  feedDuplicates: string[];
  quarantined: IntegrationError[];
}

async function getJson<T>(url: string, token: string): Promise<T> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(60_000) });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function pullAll(serverUrl: string, token: string, collection: string, duplicates: string[]): Promise<Map<string, Doc>> {
  const documents = new Map<string, Doc>();
  let checkpoint = 0;
  for (let page = 0; page < 1000; page++) {
    const body = await getJson<{ documents: Doc[]; checkpoint: { seq: number } }>(`${serverUrl}/api/sync/${collection}/pull?checkpoint=${checkpoint}&limit=10000`, token);
    for (const doc of body.documents) {
      const id = String(doc.id);
      if (documents.has(id)) duplicates.push(`${collection}/${id}`);
      documents.set(id, doc);
    }
    if (body.documents.length < 10_000) return documents;
    checkpoint = body.checkpoint.seq;
  }
  throw new Error(`pull ${collection}: more than 1,000 pages`);
}

export async function readServer(serverUrl: string, token: string): Promise<ServerState> {
  const feedDuplicates: string[] = [];
  const [sales, auditEvents, cashMovements, products, quarantined] = await Promise.all([
    pullAll(serverUrl, token, 'sales', feedDuplicates),
    pullAll(serverUrl, token, 'auditEvents', feedDuplicates),
    pullAll(serverUrl, token, 'cashMovements', feedDuplicates),
    pullAll(serverUrl, token, 'products', feedDuplicates),
    getJson<IntegrationError[]>(`${serverUrl}/api/sync/errors?limit=1000`, token),
  ]);
  const stock = new Map<string, number>();
  for (const [id, product] of products) stock.set(id, Number(product.stock));
  return { sales, auditEvents, cashMovements, stock, feedDuplicates, quarantined };
}

/** A document's content without replication fields (`_deleted`, RxDB's `_meta`, `_rev`, …), keys sorted. */
export function content(doc: Doc): string {
  return stableJson(Object.fromEntries(Object.entries(doc).filter(([key]) => !key.startsWith('_'))));
}

/**
 * The stock the server must show: the stock before the run minus what every sale holds out of it in
 * its last state at the station — a finished sale its items, less the goods an exchange took back; a
 * cancelled sale nothing. Computed from the stations' own records, not from anything the server says.
 */
export function expectedStock(initial: ReadonlyMap<string, number>, ledgers: readonly Ledger[]): Map<string, number> {
  const expected = new Map(initial);
  const move = (productId: string, units: number) => expected.set(productId, (expected.get(productId) ?? Number.NaN) + units);
  for (const ledger of ledgers) {
    for (const sale of ledger.sales) {
      if (sale.status !== 'finished') continue;
      for (const item of sale.items) move(item.productId, -item.quantity);
      for (const item of sale.exchange?.returnedItems ?? []) move(item.productId, item.quantity);
    }
  }
  return expected;
}

/** A station's sales in their last state, as its POS returned them. */
export interface Ledger {
  code: string;
  stationId: string;
  sales: Sale[];
}

export interface Verdict {
  /** Sales the stations recorded (exchanges included). */
  sent: number;
  /** Of those, how many the server holds. */
  onServer: number;
  /** Recorded at a station, absent from the server. */
  lost: string[];
  /** On the server in another state than the station's last one (a lost cancellation, …). */
  stale: string[];
  /** Served twice by one read of the change feed, on the server without any station having recorded it, or a station's running number taken twice. */
  doubled: string[];
  /** Products whose server stock is not the expectation: `id expected → actual`. */
  wrongStock: string[];
  /** Audit events and cash movements: recorded at the stations / on the server / missing or different. */
  otherSent: number;
  otherOnServer: number;
  otherLost: string[];
  /** Documents the server refused (integration errors still open). */
  refused: string[];
  /** Every station has nothing pending and holds exactly what the server holds. */
  converged: boolean;
  notConverged: string[];
}

export function verify(state: ServerState, ledgers: readonly Ledger[], stations: readonly StationSnapshot[], initialStock: ReadonlyMap<string, number>): Verdict {
  const verdict: Verdict = { sent: 0, onServer: 0, lost: [], stale: [], doubled: [...state.feedDuplicates], wrongStock: [], otherSent: 0, otherOnServer: 0, otherLost: [], refused: [], converged: true, notConverged: [] };
  const chaosStations = new Set(ledgers.map((ledger) => ledger.stationId));
  const recorded = new Set<string>();

  for (const station of ledgers) {
    for (const sale of station.sales) {
      const id = sale.id;
      recorded.add(id);
      verdict.sent++;
      const stored = state.sales.get(id);
      if (!stored || stored._deleted === true) {
        verdict.lost.push(`${station.code} sale ${sale.number} (${id})`);
        continue;
      }
      verdict.onServer++;
      if (content(stored) !== content(sale as unknown as Doc)) verdict.stale.push(`${station.code} sale ${sale.number} (${id}): station ${sale.status}, server ${String(stored.status)}`);
    }
  }
  const numbers = new Map<string, string>();
  for (const [id, sale] of state.sales) {
    if (!chaosStations.has(String(sale.stationId))) continue;
    if (!recorded.has(id)) verdict.doubled.push(`sale ${id} on the server was recorded by no station`);
    const key = `${String(sale.stationId)}#${String(sale.number)}`;
    const other = numbers.get(key);
    if (other !== undefined) verdict.doubled.push(`sales ${other} and ${id} both carry number ${String(sale.number)} of ${String(sale.stationId)}`);
    numbers.set(key, id);
  }

  const expected = expectedStock(initialStock, ledgers);
  for (const [productId, stock] of expected) {
    const actual = state.stock.get(productId);
    if (actual !== stock) verdict.wrongStock.push(`${productId} expected ${stock}, server ${String(actual)}`);
  }

  for (const entry of state.quarantined) {
    if (!entry.resolvedAt) verdict.refused.push(`${entry.collection}/${entry.documentId}: ${entry.reason} — ${entry.message}`);
  }

  for (const station of stations) {
    if (station.pendingUploads !== 0) {
      verdict.converged = false;
      verdict.notConverged.push(`${station.code}: ${station.pendingUploads} pending upload(s); last error: ${station.lastError ?? 'none'}`);
    }
    for (const name of ['auditEvents', 'cashMovements'] as const) {
      const onServer = name === 'auditEvents' ? state.auditEvents : state.cashMovements;
      for (const doc of station[name]) {
        verdict.otherSent++;
        const stored = onServer.get(String(doc.id));
        if (stored && stored._deleted !== true) verdict.otherOnServer++;
        if (!stored || stored._deleted === true || content(stored) !== content(doc)) verdict.otherLost.push(`${station.code} ${name}/${String(doc.id)}`);
      }
    }
    // The station's own view must match the server: its sales, and the stock of every product.
    const local = station.sales;
    const serverOwn = [...state.sales.values()].filter((sale) => sale.stationId === station.stationId);
    const localById = new Map(local.map((doc) => [String(doc.id), doc]));
    let differing = 0;
    const examples: string[] = [];
    for (const sale of serverOwn) {
      const mine = localById.get(String(sale.id));
      if (!mine || content(mine) !== content(sale)) {
        differing++;
        if (examples.length < 5) examples.push(`${String(sale.id)} #${String(sale.number)}: station ${mine ? describe(mine) : 'has none'}, server ${describe(sale)}${mine ? ` (fields differing: ${differingFields(mine, sale).join(', ')})` : ''}`);
      }
    }
    if (local.length !== serverOwn.length || differing > 0) {
      verdict.converged = false;
      verdict.notConverged.push(`${station.code}: ${local.length} sales on the station, ${serverOwn.length} on the server, ${differing} differ${examples.map((example) => `\n        ${example}`).join('')}`);
    }
    let staleStock = 0;
    for (const [productId, stock] of station.stock) {
      if (state.stock.get(productId) !== stock) staleStock++;
    }
    if (station.stock.length !== state.stock.size) staleStock += Math.abs(state.stock.size - station.stock.length);
    if (staleStock > 0) {
      verdict.converged = false;
      verdict.notConverged.push(`${station.code}: ${staleStock} product(s) with another stock than the server's`);
    }
  }
  return verdict;
}

function describe(sale: Doc): string {
  const cancellation = sale.cancellation as { at?: string } | undefined;
  return `${String(sale.status)}${cancellation ? ` (cancelled at ${String(cancellation.at)})` : ''}${sale.exchange ? ' exchange' : ''}`;
}

function differingFields(a: Doc, b: Doc): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((key) => !key.startsWith('_')));
  return [...keys].filter((key) => stableJson(a[key]) !== stableJson(b[key]));
}
