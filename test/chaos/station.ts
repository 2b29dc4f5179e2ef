import type { RxCollection } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import type { LoginResponse, PairResponse, Product, Sale } from '../../sync/schema/index.ts';
import { startSync, type SyncEngine } from '../../sync/client/index.ts';
import { createDatabase, type BalcaoDatabase } from '../../renderer/data/database.ts';
import { ProductIndex } from '../../renderer/core/product-index.ts';
import { createPos, type Pos } from '../../renderer/core/pos/pos.ts';
import { DEMO_SUPERVISOR_CODE } from '../../sync/server/seed/demo-data.ts';
import { quoteSale, type PaymentInput, type SaleDraft } from '../../renderer/core/pos/sale-draft.ts';
import type { CartLine } from '../../sync/rules/index.ts';
import type { Random } from './random.ts';
import { STORE, type ChaosStationAccount } from './prepare.ts';
import { sleep } from './server-process.ts';

const ids = {
  cash: `${STORE}-paymentType-dinheiro`,
  debit: `${STORE}-paymentType-debito`,
  credit: `${STORE}-paymentType-credito`,
  pix: `${STORE}-paymentType-pix`,
  x3: `${STORE}-paymentCondition-3x`,
  x6: `${STORE}-paymentCondition-6x`,
  cancel: `${STORE}-financialReason-cancelamento`,
  exchange: `${STORE}-financialReason-troca`,
  /** Promotions of the demo data: buy 3 pay 2 on p-00001, R$ 5 off on p-00002, 10 % off Pintura. */
  buy3pay2: 'p-00001',
  fiveOff: 'p-00002',
};
/** Valid CPFs of the demo customers. */
const CUSTOMER_TAX_IDS = ['52998224725', '11144477735', '39053344705', '16899535009'];
const INITIAL_SYNC_LIMIT_MS = 180_000;

export interface StationCounts {
  sales: number;
  exchanges: number;
  cancellations: number;
  exchangeCancellations: number;
  /** POS operations the station itself refused: a fault of this generator, reported as such. */
  generatorErrors: string[];
}

/** What the station did, as the POS returned it: the expectation the server is checked against. */
export interface StationLedger {
  stationId: string;
  /** Every sale (exchanges included) in its last state at the station. */
  sales: Map<string, Sale>;
}

type Doc = Record<string, unknown>;

/** The station's database and sync status at one moment, for the convergence check. */
export interface StationSnapshot {
  code: string;
  stationId: string;
  pendingUploads: number;
  lastError: string | null;
  sales: Doc[];
  auditEvents: Doc[];
  cashMovements: Doc[];
  /** [product id, stock] as the station holds it. */
  stock: [string, number][];
  /** Sales the station had cancelled that its database showed as finished again (a replication write), with when. */
  reverted: string[];
}

async function call<T>(url: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * One till, run inside its own process (station-worker.ts): the renderer's database (RxDB, memory
 * storage), the real sync client talking to the server through the fault proxy, and the renderer's POS
 * core recording sales. The process's clock is the device's (clock-skew.ts), so everything the till
 * stamps — sales, cancellations, audit events, RxDB's own write times — carries the wrong date.
 */
export class ChaosStation {
  readonly counts: StationCounts = { sales: 0, exchanges: 0, cancellations: 0, exchangeCancellations: 0, generatorErrors: [] };
  readonly ledger: StationLedger;
  readonly reverted: string[] = [];
  private readonly productIds: string[] = [];
  private readonly paintIds: string[] = [];
  /** Standing (finished) exchanges by the sale whose goods they returned. */
  private readonly standingExchanges = new Map<string, Set<string>>();

  private constructor(
    readonly code: string,
    readonly stationId: string,
    readonly db: BalcaoDatabase,
    readonly engine: SyncEngine,
    readonly pos: Pos,
    private readonly index: ProductIndex,
    private readonly random: Random,
  ) {
    this.ledger = { stationId, sales: new Map() };
  }

  /**
   * Pairs the station and signs its cashier in (directly, before the faults start), then lets the
   * sync client pull the catalogue through the proxy as a till does on its first day.
   */
  static async open(options: { account: ChaosStationAccount; serverUrl: string; proxyUrl: string; random: Random; runId: string }): Promise<ChaosStation> {
    const { account, serverUrl, proxyUrl } = options;
    const started = performance.now();
    const debug = (what: string) => {
      if (process.env.BALCAO_CHAOS_DEBUG) console.log(`${what} after ${((performance.now() - started) / 1000).toFixed(1)} s`);
    };
    const pairing = await call<PairResponse>(serverUrl, '/api/stations/pair', { storeCode: STORE, stationCode: account.code, pairingCode: account.pairingCode });
    const session = await call<LoginResponse>(serverUrl, '/api/auth/login', {
      storeCode: STORE,
      userCode: 'caixa',
      password: 'caixa123',
      stationId: pairing.stationId,
      deviceKey: pairing.deviceKey,
    });
    debug('paired and signed in');
    const db = await createDatabase(`chaos_${options.runId}_${account.code}`, ['cashier'], getRxStorageMemory() as never);
    const trace = process.env.BALCAO_CHAOS_TRACE;
    const engine = startSync({ serverUrl: proxyUrl, collections: db.collections, getToken: () => session.token, ...(trace ? { fetch: tracingFetch(trace) } : {}) });
    if (trace) {
      db.collections.sales!.$.subscribe((event) => {
        if (String(event.documentId).endsWith(trace)) console.log(`TRACE ${new Date().toISOString()} local ${event.operation} ${event.documentId} → ${String((event.documentData as Sale | undefined)?.status)}`);
      });
    }
    const synced = await Promise.race([engine.awaitInSync().then(() => true), sleep(INITIAL_SYNC_LIMIT_MS).then(() => false)]);
    if (!synced) throw new Error(`station ${account.code}: the first sync did not finish within ${INITIAL_SYNC_LIMIT_MS / 1000} s (${engine.status.lastError ?? 'no error'})`);

    debug('first sync done');
    const index = new ProductIndex();
    const products = db.collections.products as RxCollection<Product>;
    const docs = await products.find().exec();
    for (const doc of docs) index.upsert(doc.toJSON() as Product);
    const idPrefix = `chaos-${options.runId}-${account.code}`;
    let counter = 0;
    const pos = createPos({
      db,
      stationId: pairing.stationId,
      userId: session.user.id,
      product: (id) => index.get(id),
      newId: () => `${idPrefix}-${++counter}`,
    });
    await pos.ready();
    const station = new ChaosStation(account.code, pairing.stationId, db, engine, pos, index, options.random);
    // A cancellation is final at the station: a write that makes a cancelled sale finished again came from replication.
    const lastStatus = new Map<string, string>();
    db.collections.sales!.$.subscribe((event) => {
      const status = (event.documentData as Sale | undefined)?.status;
      const id = String(event.documentId);
      if (status === 'finished' && lastStatus.get(id) === 'cancelled') station.reverted.push(`${id} at ${new Date().toISOString()} (device clock)`);
      if (status) lastStatus.set(id, status);
    });
    for (const doc of docs) {
      if (!doc.active) continue;
      station.productIds.push(doc.id);
      if (doc.groupId.endsWith('-grp-pintura')) station.paintIds.push(doc.id);
    }
    station.productIds.sort();
    if (station.productIds.length === 0) throw new Error(`station ${account.code} received no products`);
    await pos.recordCash('opening', 20_000);
    return station;
  }

  get recorded(): number {
    return this.counts.sales + this.counts.exchanges;
  }

  /** Records sales (and some cancellations, exchanges, exchange cancellations) until `total` sales exist. */
  async sell(total: number, pauseMs: number, shouldStop: () => boolean, onProgress: (recorded: number) => void = () => undefined): Promise<void> {
    while (this.recorded < total && !shouldStop()) {
      const roll = this.random.next();
      try {
        if (roll < 0.05 && (await this.cancelOne())) continue;
        if (roll >= 0.05 && roll < 0.09 && (await this.exchangeOne())) continue;
        if (roll >= 0.09 && roll < 0.1 && (await this.cancelExchangeOne())) continue;
        await this.saleOne();
      } catch (error) {
        this.counts.generatorErrors.push(String(error instanceof Error ? error.message : error));
        if (this.counts.generatorErrors.length > 20) throw new Error(`station ${this.code}: the sale generator keeps failing: ${this.counts.generatorErrors.slice(0, 3).join(' | ')}`);
      }
      onProgress(this.recorded);
      if (pauseMs > 0) await sleep(this.random.int(0, pauseMs));
    }
  }

  status(): { pendingUploads: number; lastError: string | null } {
    return { pendingUploads: this.engine.status.pendingUploads, lastError: this.engine.status.lastError };
  }

  async snapshot(): Promise<StationSnapshot> {
    const docs = async (name: 'sales' | 'auditEvents' | 'cashMovements' | 'products'): Promise<Doc[]> => {
      const collection = this.db.collections[name] as RxCollection | undefined;
      return collection ? (await collection.find().exec()).map((doc) => doc.toJSON() as Doc) : [];
    };
    const [sales, auditEvents, cashMovements, products] = await Promise.all([docs('sales'), docs('auditEvents'), docs('cashMovements'), docs('products')]);
    const status = this.engine.status;
    return {
      code: this.code,
      stationId: this.stationId,
      pendingUploads: status.pendingUploads,
      lastError: status.lastError,
      sales,
      auditEvents,
      cashMovements,
      stock: products.map((product) => [String(product.id), Number(product.stock)]),
      reverted: [...this.reverted],
    };
  }

  /**
   * For a station that did not converge: what its status said, then whether waiting for the sync client
   * (which recounts what is pending) and pressing "send now" (POS-14) change it.
   */
  async diagnose(): Promise<string> {
    const shown = this.engine.status.pendingUploads;
    const inSync = await Promise.race([this.engine.awaitInSync().then(() => 'in sync'), sleep(20_000).then(() => 'awaitInSync did not resolve in 20 s')]);
    const recounted = this.engine.status.pendingUploads;
    const sent = await Promise.race([
      this.engine.sendNow().then(
        () => 'send now: done',
        (error: unknown) => `send now failed: ${String(error)}`,
      ),
      sleep(20_000).then(() => 'send now did not finish in 20 s'),
    ]);
    return `status showed ${shown} pending; ${inSync}, then ${recounted} pending; ${sent}, then ${this.engine.status.pendingUploads} pending; last error: ${this.engine.status.lastError ?? 'none'}`;
  }

  async close(): Promise<void> {
    await this.engine.stop().catch(() => undefined);
    this.pos.dispose();
    await this.db.remove().catch(() => undefined);
  }

  private at(): string {
    return new Date().toISOString();
  }

  private pickProduct(taken: Set<string>): CartLine {
    const roll = this.random.next();
    let productId: string;
    let quantity = this.random.int(1, 3);
    if (roll < 0.06) {
      productId = ids.buy3pay2;
      quantity = this.random.pick([3, 3, 6, 1]);
    } else if (roll < 0.1) productId = ids.fiveOff;
    else if (roll < 0.2 && this.paintIds.length > 0) productId = this.random.pick(this.paintIds);
    else productId = this.random.pick(this.productIds);
    if (taken.has(productId) || !this.index.get(productId)) productId = this.random.pick(this.productIds);
    taken.add(productId);
    return { productId, quantity };
  }

  private lines(count: number): CartLine[] {
    const taken = new Set<string>();
    return Array.from({ length: count }, () => this.pickProduct(taken));
  }

  /** What the cashier enters at the payment step for `due` cents. */
  private payments(due: number): PaymentInput[] {
    if (due <= 0) return [];
    const roll = this.random.next();
    if (roll < 0.35) {
      // Cash, often with change.
      const handed = this.random.chance(0.5) ? Math.ceil(due / 1000) * 1000 : Math.ceil(due / 5000) * 5000 + this.random.pick([0, 5000]);
      return [{ paymentTypeId: ids.cash, principalCents: Math.max(due, handed) }];
    }
    if (roll < 0.55) return [{ paymentTypeId: ids.debit, principalCents: due }];
    if (roll < 0.75) return [{ paymentTypeId: ids.pix, principalCents: due }];
    if (roll < 0.85) return [{ paymentTypeId: ids.credit, paymentConditionId: ids.x3, principalCents: due }];
    if (roll < 0.9) return [{ paymentTypeId: ids.credit, paymentConditionId: ids.x6, principalCents: due }];
    const pix = Math.floor(due / 2);
    return [
      { paymentTypeId: ids.pix, principalCents: pix },
      { paymentTypeId: ids.cash, principalCents: Math.ceil((due - pix) / 100) * 100 },
    ];
  }

  private async draft(lines: CartLine[], exchange?: SaleDraft['exchange']): Promise<SaleDraft> {
    const catalog = this.pos.catalog();
    const draft: SaleDraft = { lines, sellerId: this.random.pick(catalog.sellers).id, payments: [] };
    if (this.random.chance(0.2)) draft.customerTaxId = this.random.pick(CUSTOMER_TAX_IDS);
    if (exchange) draft.exchange = exchange;
    const quote = quoteSale(draft, catalog, (id) => productOf(this.index, id), this.at());
    if (!quote.ok) throw new Error(`quote: ${quote.error.message}`);
    if (!exchange && this.random.chance(0.05)) {
      // A small discount on the whole sale, spread over its lines by sync/rules.
      // At most 5 %: spread over the lines and rounded, no line may pass the store's 10 % bound (POS-20).
      draft.saleDiscountCents = Math.min(500, Math.floor(quote.value.totals.totalCents / 20));
      // A manual discount needs a supervisor (POS-20): the demo admin's code, checked offline against its hash.
      const { supervisorId, at } = await this.pos.authorize(DEMO_SUPERVISOR_CODE, 'discount');
      draft.authorizations = [{ action: 'discount', supervisorId, at }];
      const discounted = quoteSale(draft, catalog, (id) => productOf(this.index, id), this.at());
      if (!discounted.ok) throw new Error(`quote: ${discounted.error.message}`);
      draft.payments = this.payments(discounted.value.remainingCents);
      return draft;
    }
    draft.payments = this.payments(quote.value.remainingCents);
    return draft;
  }

  private remember(sale: Sale): void {
    this.ledger.sales.set(sale.id, sale);
  }

  private async saleOne(): Promise<void> {
    const count = this.random.pick([1, 1, 1, 2, 2, 3, 4]);
    const recorded = await this.pos.recordSale(await this.draft(this.lines(count)));
    this.remember(recorded.sale);
    this.counts.sales++;
  }

  private candidates(filter: (sale: Sale) => boolean): Sale[] {
    const found: Sale[] = [];
    for (const sale of this.ledger.sales.values()) if (filter(sale)) found.push(sale);
    return found;
  }

  /** Cancels a finished plain sale that no standing exchange returned goods of (the server requires that order). */
  private async cancelOne(): Promise<boolean> {
    const options = this.candidates((sale) => sale.status === 'finished' && !sale.exchange && (this.standingExchanges.get(sale.id)?.size ?? 0) === 0);
    if (options.length === 0) return false;
    // Cancelling needs a supervisor (POS-20): the demo admin's code, checked offline against its hash.
    const supervisor = await this.pos.authorize(DEMO_SUPERVISOR_CODE, 'cancel');
    const sale = await this.pos.cancelSale(this.random.pick(options).id, ids.cancel, this.random.chance(0.3) ? 'Cliente desistiu' : undefined, supervisor);
    this.remember(sale);
    this.counts.cancellations++;
    return true;
  }

  /** Returns one unit of a line of an earlier sale and sells new goods against the credit. */
  private async exchangeOne(): Promise<boolean> {
    const options = this.candidates((sale) => sale.status === 'finished' && !sale.exchange);
    if (options.length === 0) return false;
    const original = this.random.pick(options);
    const returnable = (await this.pos.returnable(original.id)).filter((line) => line.quantity > 0);
    if (returnable.length === 0) return false;
    const line = this.random.pick(returnable);
    // Weighed goods come back in their smallest step (grams, mm, mL), credited per kg/m/L (POS-22).
    const returnedItems = [{ productId: line.productId, quantity: this.random.int(1, line.quantity), unitPriceCents: line.unitPriceCents, ...(line.unit ? { unit: line.unit } : {}) }];
    const exchange = { originalSaleId: original.id, returnedItems };
    const recorded = await this.pos.recordExchange({ ...(await this.draft(this.lines(this.random.pick([1, 1, 2])), exchange)), exchange });
    this.remember(recorded.sale);
    const standing = this.standingExchanges.get(original.id) ?? new Set<string>();
    standing.add(recorded.sale.id);
    this.standingExchanges.set(original.id, standing);
    this.counts.exchanges++;
    return true;
  }

  private async cancelExchangeOne(): Promise<boolean> {
    const options = this.candidates((sale) => sale.status === 'finished' && sale.exchange !== undefined);
    if (options.length === 0) return false;
    const supervisor = await this.pos.authorize(DEMO_SUPERVISOR_CODE, 'cancel');
    const exchange = await this.pos.cancelExchange(this.random.pick(options).id, this.random.pick([ids.exchange, ids.cancel]), undefined, supervisor);
    this.remember(exchange);
    this.standingExchanges.get(exchange.exchange!.originalSaleId)?.delete(exchange.id);
    this.counts.exchangeCancellations++;
    return true;
  }
}

function productOf(index: ProductIndex, id: string): Product | undefined {
  const row = index.get(id);
  return row ? { ...row, groupId: row.groupId ?? '' } : undefined;
}

/** BALCAO_CHAOS_TRACE=<end of a sale id>: prints every request, answer and stream event that carries that sale. */
function tracingFetch(suffix: string): typeof fetch {
  const mentions = (text: string) => text.includes(`${suffix}"`);
  const at = () => new Date().toISOString();
  /** The states of the traced sale in a JSON text, each named by where it sits (newDocumentState, documents, …). */
  const pick = (text: string) => {
    const found: string[] = [];
    const walk = (value: unknown, key: string) => {
      if (Array.isArray(value)) value.forEach((item) => walk(item, key));
      else if (value && typeof value === 'object') {
        const record = value as Record<string, unknown>;
        if (typeof record.id === 'string' && record.id.endsWith(suffix)) found.push(`${key}=${String(record.status)}`);
        else for (const [name, inner] of Object.entries(record)) walk(inner, name);
      }
    };
    try {
      walk(JSON.parse(text.startsWith('event:') ? text.slice(text.indexOf('data: ') + 6) : text), 'body');
    } catch {
      return '(unreadable)';
    }
    return found.join(', ') || '?';
  };
  return async (input, init) => {
    const url = String(input).replace(/^http:\/\/[^/]+/, '');
    const body = typeof init?.body === 'string' ? init.body : '';
    if (mentions(body)) console.log(`TRACE ${at()} send ${init?.method ?? 'GET'} ${url} (${body.length} bytes): ${pick(body)}`);
    let response: Response;
    try {
      response = await fetch(input, init);
    } catch (error) {
      if (mentions(body)) console.log(`TRACE ${at()} failed ${url}: ${String(error)}`);
      throw error;
    }
    if (!response.body) return response;
    const [mine, theirs] = response.body.tee();
    void (async () => {
      const reader = mine.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          text += value;
          if (url.includes('/stream')) {
            let end: number;
            while ((end = text.indexOf('\n\n')) !== -1) {
              const event = text.slice(0, end);
              text = text.slice(end + 2);
              if (mentions(event) || event.includes('resync')) console.log(`TRACE ${at()} stream ${event.slice(0, 60).replace(/\n/g, ' ')} … ${mentions(event) ? `${pick(event)} checkpoint ${/"checkpoint":\{"seq":(\d+)/.exec(event)?.[1]}` : ''}`);
            }
          }
        }
        if (!url.includes('/stream') && (mentions(text) || mentions(body))) console.log(`TRACE ${at()} answer ${response.status} ${url}: ${pick(text)} checkpoint ${/"checkpoint":\{"seq":(\d+)/.exec(text)?.[1] ?? '-'}`);
      } catch (error) {
        if (!url.includes('/stream')) console.log(`TRACE ${at()} answer cut ${url}: ${String(error)}`);
      }
    })();
    return new Response(theirs, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
