/**
 * POS operations on the station's own database (POS-01, 09–11, 05, 16). React-free: the screens and
 * the unit tests call the same functions. Every operation writes locally only; replication uploads.
 * A finished sale is never edited again except to add its cancellation, which is what the server accepts.
 */
import type { RxCollection, RxDocument } from 'rxdb';
import { BehaviorSubject, map, type Observable } from 'rxjs';
import type { AuditEvent, CashMovement, MasterRecord, Product, Sale, SaleAuthorization } from '../../../sync/schema/index.ts';
import { authorizationIssues, cashInDrawer, closingReport, findSupervisorByCode, formatBrl, tillExpected, type ClosingLine, type TillLine, isValidTaxId, linesOverStock, returnsLeft } from '../../../sync/rules/index.ts';
import type { BalcaoDatabase } from '../../data/database.ts';
import { isQuotaError } from '../../data/storage-health.ts';
import type { ProductRow } from '../product-index.ts';
import { buildCatalog, type PosCatalog } from './catalog.ts';
import { PosError } from './errors.ts';
import { buildSale, returnedItemOf, type BuiltSale, type ReturnableItem, type ReturnedItem, type SaleDraft } from './sale-draft.ts';
import { checkSpendsHere, checkVoucherUnspent, lookUpVoucher, type VoucherConfirmation, type VoucherInfo } from './vouchers.ts';
import { voucherNumberFor, voucherSpends } from '../../../sync/rules/index.ts';

export interface PosDeps {
  db: BalcaoDatabase;
  stationId: string;
  userId: string;
  /** The in-memory product index (core.products); sale lines are priced from it. */
  product: (id: string) => ProductRow | undefined;
  now?: () => Date;
  newId?: () => string;
  /** The station's code (cx01): the first part of the numbers of the vouchers it issues (POS-21); the station id without it. */
  stationCode?: string;
  /**
   * Asks the server to accept a sale that spends a voucher before the station keeps it (POS-21):
   * POST /api/pos/voucher-sales. Without it, or when the server cannot be reached, the balance the
   * station knows decides and the server applies the spend in order when the sale uploads.
   */
  confirmVoucherSale?: (sale: Sale) => Promise<VoucherConfirmation>;
}

export interface RecordedSale {
  sale: Sale;
  settlement: BuiltSale['settlement'];
  installmentAmounts: number[][];
}

export type CashKind = CashMovement['kind'];

/** A supervisor's authorisation as the station records it: for a sale, a cancellation or a withdrawal. */
export interface Authorization {
  action: SaleAuthorization['action'] | 'cancel' | 'withdrawal';
  /** The supervisor's user id. */
  supervisorId: string;
  supervisorName: string;
  at: string;
}

export interface Pos {
  readonly stationId: string;
  readonly catalog$: Observable<PosCatalog>;
  catalog(): PosCatalog;
  /** Resolves once master data was read at least once. */
  ready(): Promise<void>;
  /**
   * Records a sale. A voucher payment (POS-21) is checked against the balance the station knows and,
   * online, confirmed by the server first; throws PosError('rule') with voucher_unknown / voucher_void
   * / voucher_overspent, or PosError('voucher_refused') when the server refused it (nothing recorded).
   */
  recordSale(draft: SaleDraft): Promise<RecordedSale>;
  /** A typed or scanned voucher number's value and balance as this station knows them (POS-21). */
  voucher(text: string): Promise<VoucherInfo>;
  /**
   * A supervisor's authorisation (POS-20): the code typed at this station is checked offline against
   * the supervisors' salted hashes the station received. Throws PosError('supervisor_denied').
   */
  authorize(code: string, action: Authorization['action']): Promise<Authorization>;
  /** Cancelling needs a supervisor (POS-20): `authorization` from authorize(code, 'cancel'). */
  cancelSale(saleId: string, reasonId: string, note?: string, authorization?: Authorization): Promise<Sale>;
  /**
   * What may come back from a sale: each product with the quantity still returnable, the price paid per
   * unit and the credit still left of what was paid, after the sale's exchanges this station knows of.
   */
  returnable(saleId: string): Promise<ReturnableItem[]>;
  /** An exchange; credit it does not use becomes a voucher (`sale.exchange.voucher`, POS-21). */
  recordExchange(draft: SaleDraft & { exchange: NonNullable<SaleDraft['exchange']> }): Promise<RecordedSale>;
  /** Refused with PosError('voucher_spent') while a sale the station knows spent the exchange's voucher. */
  cancelExchange(saleId: string, reasonId: string, note?: string, authorization?: Authorization): Promise<Sale>;
  /** A withdrawal larger than the cash in the drawer needs `authorization` (POS-19). */
  recordCash(kind: CashKind, amountCents: number, reasonId?: string, note?: string, authorization?: Authorization): Promise<CashMovement>;
  /** Cash the drawer should hold now (opening + cash sales − change + supply − withdrawals), in cents; 0 when closed. */
  cashInDrawer(): Promise<number>;
  /** What the open till expects per payment type (cash first), in cents (POS-19). */
  tillExpected(): Promise<TillLine[]>;
  /**
   * Closes the till with what was counted per payment type (cents): the closing movement keeps the
   * count, its amount is the cash counted; returns the closing report (expected, counted, difference).
   */
  closeTill(counted: ReadonlyMap<string, number>, note?: string): Promise<ClosingLine[]>;
  /** True while an opening has no closing after it. */
  cashOpen(): Promise<boolean>;
  findSale(idOrNumber: string): Promise<Sale | null>;
  sales$(): Observable<Sale[]>;
  cashMovements$(): Observable<CashMovement[]>;
  audit$(): Observable<AuditEvent[]>;
  dispose(): void;
}

function collection<T>(db: BalcaoDatabase, name: 'sales' | 'cashMovements' | 'auditEvents' | 'masterdata'): RxCollection<T> {
  const found = db.collections[name] as RxCollection<T> | undefined;
  // Only users whose roles replicate sales (cashier, admin) get these collections.
  if (!found) throw new PosError('forbidden');
  return found;
}

async function guardStorage<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof PosError) throw error;
    throw new PosError(isQuotaError(error) ? 'storage_full' : 'storage_failed', { detail: String(error) });
  }
}

export async function writeAudit(db: BalcaoDatabase, event: Omit<AuditEvent, 'id' | 'at'> & { at?: string; id?: string }): Promise<void> {
  const audit = db.collections.auditEvents as RxCollection<AuditEvent> | undefined;
  if (!audit) return;
  const { at, id, ...rest } = event;
  await audit.insert({ id: id ?? globalThis.crypto.randomUUID(), at: at ?? new Date().toISOString(), ...rest });
}

export function createPos(deps: PosDeps): Pos {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? (() => globalThis.crypto.randomUUID());
  const sales = collection<Sale>(deps.db, 'sales');
  const cash = collection<CashMovement>(deps.db, 'cashMovements');
  const audit = collection<AuditEvent>(deps.db, 'auditEvents');
  const masterdata = collection<MasterRecord>(deps.db, 'masterdata');

  const catalog = new BehaviorSubject<PosCatalog>(buildCatalog([], deps.stationId));
  let resolveReady!: () => void;
  const readyPromise = new Promise<void>((resolve) => (resolveReady = resolve));
  const subscription = masterdata.find().$.subscribe((docs) => {
    catalog.next(buildCatalog(docs.map((doc) => doc.toJSON() as MasterRecord), deps.stationId));
    resolveReady();
  });

  // Writes run one after another so two quick sales never take the same running number.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  // The station's running number is the station's own: kept in a local document and moved only by a
  // sale recorded here. A record an integrator writes through the API with this station's id (say
  // number 900001) reaches the station's sales but never its counter.
  const counterKey = `pos-sale-counter-${deps.stationId}`;
  let lastNumber: number | null = null;
  async function numbersUsedHere(): Promise<number> {
    // First sale of this installation (or of a re-paired one): continue after the numbers this
    // station gave before, which its own audit trail names ('sale' and 'exchange' events).
    const events = await audit.find({ selector: { stationId: deps.stationId } }).exec();
    let max = 0;
    for (const event of events) {
      if (event.action !== 'sale' && event.action !== 'exchange') continue;
      try {
        const number = (JSON.parse(event.detail ?? '{}') as { number?: unknown }).number;
        if (typeof number === 'number' && Number.isSafeInteger(number)) max = Math.max(max, number);
      } catch {
        // A detail that is not JSON names no number.
      }
    }
    return max;
  }
  async function nextNumber(): Promise<number> {
    if (lastNumber === null) {
      const stored = (await deps.db.getLocal<{ last: number }>(counterKey))?.toJSON().data.last;
      lastNumber = typeof stored === 'number' ? stored : await numbersUsedHere();
    }
    lastNumber += 1;
    await guardStorage(() => deps.db.upsertLocal<{ last: number }>(counterKey, { last: lastNumber! }));
    return lastNumber;
  }

  /** Gives back the number of a sale the server refused before it was kept, so no gap is left. */
  async function releaseNumber(number: number): Promise<void> {
    if (lastNumber !== number) return;
    lastNumber = number - 1;
    await guardStorage(() => deps.db.upsertLocal<{ last: number }>(counterKey, { last: lastNumber! }));
  }

  const productOf = (id: string): Product | undefined => {
    const row = deps.product(id);
    return row ? { ...row, groupId: row.groupId ?? '' } : undefined;
  };

  function reasonFor(reasonId: string, uses: readonly string[]): MasterRecord {
    if (!reasonId) throw new PosError('reason_required');
    const reason = catalog.value.byId.get(reasonId);
    if (!reason || reason.kind !== 'financialReason' || !reason.active || !reason.uses?.some((use) => uses.includes(use))) {
      throw new PosError('invalid_reason');
    }
    return reason;
  }

  async function saleDoc(saleId: string): Promise<RxDocument<Sale>> {
    const doc = await sales.findOne(saleId).exec();
    if (!doc) throw new PosError('unknown_sale', { sale: saleId });
    return doc;
  }

  function build(draft: SaleDraft, at: string): BuiltSale {
    if (draft.lines.length === 0) throw new PosError('empty_cart');
    const seller = catalog.value.byId.get(draft.sellerId);
    if (!seller || seller.kind !== 'seller' || !seller.active) throw new PosError('unknown_seller');
    if (draft.customerTaxId && !isValidTaxId(draft.customerTaxId)) throw new PosError('invalid_customer_tax_id');
    const built = buildSale(draft, catalog.value, productOf, at);
    if (!built.ok) throw new PosError('rule', built.error.params ?? {}, built.error);
    const { settings } = catalog.value;
    // The store decides whether selling past the stock this station knows stops the sale (issue 15).
    if (settings.stockPolicy === 'block') {
      const short = linesOverStock(built.value.sale.items, (id) => deps.product(id)?.stock);
      if (short.length > 0) throw new PosError('over_stock', { products: short.map((item) => deps.product(item.productId)?.name ?? item.productId).join(', ') });
    }
    // A manual discount or price override needs a supervisor and stays within the store's bound (POS-20).
    const issue = authorizationIssues(built.value.sale, settings)[0];
    if (issue) throw new PosError('needs_supervisor', { detail: issue.message });
    return built.value;
  }

  async function requireOpenTill(draft: SaleDraft): Promise<void> {
    // POS-19: no sale on a closed till without a supervisor.
    if (!(await isCashOpen()) && !draft.authorizations?.some((authorization) => authorization.action === 'closedTill')) throw new PosError('till_closed');
  }

  async function insertSale(draft: SaleDraft): Promise<RecordedSale> {
    const at = now().toISOString();
    const built = build(draft, at);
    await requireOpenTill(draft);
    const id = newId();
    if (voucherSpends(built.sale).size > 0) await checkSpendsHere(sales, catalog.value, { id, payments: built.sale.payments });
    const number = await nextNumber();
    const sale: Sale = { id, stationId: deps.stationId, number, userId: deps.userId, ...built.sale };
    const left = built.settlement.creditLeftCents;
    // POS-21: the exchange credit the sale did not use becomes a voucher numbered by this station.
    if (sale.exchange && left > 0) sale.exchange = { ...sale.exchange, voucher: { number: voucherNumberFor(deps.stationCode ?? deps.stationId, number), amountCents: left } };
    if (voucherSpends(sale).size > 0 && deps.confirmVoucherSale) {
      const answer = await deps.confirmVoucherSale(sale);
      if (answer.kind === 'refused') {
        await releaseNumber(number);
        throw new PosError('voucher_refused', { detail: answer.detail });
      }
    }
    await guardStorage(() => keepSale(sale));
    return { sale, settlement: built.settlement, installmentAmounts: built.installmentAmounts };
  }

  /**
   * Stores a sale just recorded. A voucher sale the server confirmed is stored there first (POS-21), and
   * the station's pull may bring that copy here before the answer reaches this point (or after an answer
   * that never came, 'unreachable'): a sale already stored under the id this station just gave it is that
   * very sale, kept, not a failure. Inserting it again failed (CONFLICT) and the cashier was told the local
   * database could not be written, with no receipt, though the sale was recorded on both sides.
   */
  async function keepSale(sale: Sale): Promise<void> {
    try {
      await sales.insert(sale);
    } catch (error) {
      const stored = (error as { code?: unknown } | null)?.code === 'CONFLICT' ? await sales.findOne(sale.id).exec() : null;
      if (stored && stored.stationId === sale.stationId && stored.number === sale.number) return;
      throw error;
    }
  }

  async function auditEvent(action: AuditEvent['action'], subjectId: string | undefined, detail: Record<string, unknown>, supervisorId?: string): Promise<void> {
    await guardStorage(() =>
      audit.insert({
        id: newId(),
        at: now().toISOString(),
        userId: deps.userId,
        stationId: deps.stationId,
        action,
        ...(subjectId ? { subjectId } : {}),
        ...(supervisorId ? { supervisorId } : {}),
        detail: JSON.stringify(detail),
      }),
    );
  }

  async function auditSale(recorded: RecordedSale, action: 'sale' | 'exchange'): Promise<void> {
    const { sale } = recorded;
    await auditEvent(action, sale.id, { number: sale.number, totalCents: sale.totalCents, ...(sale.exchange ? { originalSaleId: sale.exchange.originalSaleId, creditCents: sale.exchange.creditCents } : {}) });
    const supervisorOf = (action: SaleAuthorization['action']) => sale.authorizations?.find((authorization) => authorization.action === action)?.supervisorId;
    for (const item of sale.items) {
      if (item.priceOverride) await auditEvent('priceOverride', sale.id, { number: sale.number, productId: item.productId, unitPriceCents: item.unitPriceCents, listPriceCents: item.listPriceCents }, supervisorOf('priceOverride'));
      if (item.manualDiscountCents) await auditEvent('discount', sale.id, { number: sale.number, productId: item.productId, manualDiscountCents: item.manualDiscountCents }, supervisorOf('discount'));
    }
    const closedTill = supervisorOf('closedTill');
    if (closedTill) await auditEvent('closedTillSale', sale.id, { number: sale.number }, closedTill);
  }

  async function cancel(saleId: string, reasonId: string, note: string | undefined, exchange: boolean, authorization: Authorization | undefined): Promise<Sale> {
    if (!authorization || authorization.action !== 'cancel') throw new PosError('needs_supervisor');
    const doc = await saleDoc(saleId);
    if (doc.status !== 'finished') throw new PosError('not_finished', { number: doc.number });
    if (exchange && !doc.exchange) throw new PosError('not_exchange', { number: doc.number });
    if (!exchange && doc.exchange) throw new PosError('is_exchange', { number: doc.number });
    if (exchange) await checkVoucherUnspent(sales, catalog.value, doc.toJSON() as Sale);
    const reason = reasonFor(reasonId, exchange ? ['exchange', 'cancel'] : ['cancel']);
    const cancellation = { reasonId: reason.id, userId: deps.userId, at: now().toISOString(), ...(note?.trim() ? { note: note.trim().slice(0, 500) } : {}), supervisorId: authorization.supervisorId };
    const updated = await guardStorage(() => doc.incrementalPatch({ status: 'cancelled', cancellation }));
    await auditEvent(exchange ? 'exchangeCancel' : 'cancel', saleId, { number: doc.number, reasonId: reason.id, totalCents: doc.totalCents }, authorization.supervisorId);
    return updated.toJSON() as Sale;
  }

  async function returnable(saleId: string): Promise<ReturnableItem[]> {
    const original = await saleDoc(saleId);
    if (original.status !== 'finished') throw new PosError('not_finished', { number: original.number });
    // What earlier, still valid exchanges this station knows of already took back and credited; the server
    // judges an exchange against those it stores, another station's included.
    const exchanges = await sales.find({ selector: { 'exchange.originalSaleId': saleId, status: 'finished' } }).exec();
    return [...returnsLeft(original.toJSON() as Sale, exchanges.map((exchange) => exchange.toJSON() as Sale)).values()]
      .filter((line) => !line.mixedUnits)
      .map((line) => ({
        productId: line.productId,
        soldQuantity: line.soldQuantity,
        quantity: line.quantityLeft,
        ...(line.unit ? { unit: line.unit } : {}),
        unitPriceCents: line.unitPriceCents,
        creditLeftCents: line.creditLeftCents,
      }));
  }

  /**
   * Whether the till is open, read from the cash movements once and kept until any of them changes
   * (here, or pulled): each sale asks, and a query per sale was a tenth of recording it (issue 16).
   */
  let cashOpenKnown: Promise<boolean> | null = null;
  const cashChanges = cash.$.subscribe(() => (cashOpenKnown = null));
  function isCashOpen(): Promise<boolean> {
    if (cashOpenKnown) return cashOpenKnown;
    const reading = cash
      .find({ selector: { stationId: deps.stationId } })
      .exec()
      .then((movements) => {
        const last = movements
          .filter((m) => m.kind === 'opening' || m.kind === 'closing')
          .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
          .at(-1);
        return last?.kind === 'opening';
      });
    cashOpenKnown = reading;
    // A failed read is not kept; a change during the read drops it too (the subscription above).
    reading.catch(() => {
      if (cashOpenKnown === reading) cashOpenKnown = null;
    });
    return reading;
  }

  async function tillState(): Promise<{ movements: CashMovement[]; sales: Sale[] }> {
    const [movements, stationSales] = await Promise.all([cash.find({ selector: { stationId: deps.stationId } }).exec(), sales.find({ selector: { stationId: deps.stationId } }).exec()]);
    return { movements: movements.map((doc) => doc.toJSON() as CashMovement), sales: stationSales.map((doc) => doc.toJSON() as Sale) };
  }

  /** Cash the drawer should hold since the last opening (sync/rules till.ts). */
  async function drawer(): Promise<number> {
    const state = await tillState();
    return cashInDrawer(state.movements, state.sales, catalog.value.byId);
  }

  async function expectedNow(): Promise<TillLine[]> {
    const state = await tillState();
    return tillExpected(state.movements, state.sales, catalog.value.byId);
  }

  const byNewest = <T extends { createdAt?: string; at?: string }>(a: T, b: T) => ((b.createdAt ?? b.at ?? '') < (a.createdAt ?? a.at ?? '') ? -1 : 1);

  return {
    stationId: deps.stationId,
    catalog$: catalog.asObservable(),
    catalog: () => catalog.value,
    ready: () => readyPromise,

    recordSale: (draft) =>
      serial(async () => {
        if (draft.exchange) throw new PosError('is_exchange');
        const recorded = await insertSale(draft);
        await auditSale(recorded, 'sale');
        return recorded;
      }),

    cancelSale: (saleId, reasonId, note, authorization) => serial(() => cancel(saleId, reasonId, note, false, authorization)),

    voucher: (text) => lookUpVoucher(sales, catalog.value, text),

    async authorize(code, action) {
      const supervisor = await findSupervisorByCode(code.trim(), catalog.value.supervisors);
      if (!supervisor?.userId) throw new PosError('supervisor_denied');
      return { action, supervisorId: supervisor.userId, supervisorName: supervisor.name, at: now().toISOString() };
    },

    returnable,

    recordExchange: (draft) =>
      serial(async () => {
        const { exchange } = draft;
        const returned = exchange.returnedItems.filter((item) => item.quantity > 0);
        if (returned.length === 0) throw new PosError('nothing_returned');
        const available = new Map((await returnable(exchange.originalSaleId)).map((line) => [line.productId, line]));
        const cleaned: ReturnedItem[] = [];
        for (const item of returned) {
          const line = available.get(item.productId);
          if (!line || !Number.isSafeInteger(item.quantity) || item.quantity > line.quantity) {
            throw new PosError('return_exceeds_sold', { productId: item.productId, available: line?.quantity ?? 0 });
          }
          // The credit is the price paid on the original sale, never a price typed now, within what is left of it.
          cleaned.push(returnedItemOf(line, item.quantity));
        }
        const recorded = await insertSale({ ...draft, exchange: { originalSaleId: exchange.originalSaleId, returnedItems: cleaned } });
        await auditSale(recorded, 'exchange');
        return recorded;
      }),

    cancelExchange: (saleId, reasonId, note, authorization) => serial(() => cancel(saleId, reasonId, note, true, authorization)),

    recordCash: (kind, amountCents, reasonId, note, authorization) =>
      serial(async () => {
        if (!Number.isSafeInteger(amountCents) || amountCents < 0 || (kind !== 'opening' && kind !== 'closing' && amountCents === 0)) {
          throw new PosError('invalid_amount');
        }
        const open = await isCashOpen();
        if (kind === 'opening' && open) throw new PosError('cash_already_open');
        if (kind !== 'opening' && !open) throw new PosError('cash_not_open');
        const reason = kind === 'supply' || kind === 'withdrawal' ? reasonFor(reasonId ?? '', [kind]) : undefined;
        // POS-19: a withdrawal (sangria) larger than the cash in the drawer needs a supervisor.
        const inDrawer = kind === 'withdrawal' ? await drawer() : 0;
        const overDrawn = kind === 'withdrawal' && amountCents > inDrawer;
        if (overDrawn && authorization?.action !== 'withdrawal') throw new PosError('withdrawal_exceeds_cash', { cashCents: inDrawer, cash: formatBrl(inDrawer) });
        const movement: CashMovement = {
          id: newId(),
          stationId: deps.stationId,
          userId: deps.userId,
          kind,
          amountCents,
          at: now().toISOString(),
          ...(reason ? { reasonId: reason.id } : {}),
          ...(note?.trim() ? { note: note.trim().slice(0, 500) } : {}),
        };
        // Also dropped here, whenever the collection's own event arrives.
        await guardStorage(() => cash.insert(movement)).finally(() => (cashOpenKnown = null));
        const action = ({ opening: 'cashOpen', supply: 'cashSupply', withdrawal: 'cashWithdrawal', closing: 'cashClose' } as const)[kind];
        await auditEvent(action, movement.id, { amountCents, ...(reason ? { reasonId: reason.id } : {}), ...(overDrawn ? { cashInDrawerCents: inDrawer } : {}) }, overDrawn ? authorization?.supervisorId : undefined);
        return movement;
      }),

    cashInDrawer: () => drawer(),
    tillExpected: () => expectedNow(),

    closeTill: (counted, note) =>
      serial(async () => {
        if (!(await isCashOpen())) throw new PosError('cash_not_open');
        for (const cents of counted.values()) if (!Number.isSafeInteger(cents) || cents < 0) throw new PosError('invalid_amount');
        const report = closingReport(await expectedNow(), counted);
        const cashLine = report.find((line) => catalog.value.byId.get(line.paymentTypeId)?.method === 'cash') ?? report[0];
        const movement: CashMovement = {
          id: newId(),
          stationId: deps.stationId,
          userId: deps.userId,
          kind: 'closing',
          amountCents: cashLine?.countedCents ?? 0,
          at: now().toISOString(),
          ...(note?.trim() ? { note: note.trim().slice(0, 500) } : {}),
          count: report.map(({ paymentTypeId, expectedCents, countedCents }) => ({ paymentTypeId, expectedCents, countedCents })),
        };
        // Also dropped here, whenever the collection's own event arrives.
        await guardStorage(() => cash.insert(movement)).finally(() => (cashOpenKnown = null));
        await auditEvent('cashClose', movement.id, { amountCents: movement.amountCents, differences: Object.fromEntries(report.map((line) => [line.paymentTypeId, line.differenceCents])) });
        return report;
      }),

    cashOpen: isCashOpen,

    async findSale(idOrNumber) {
      const text = idOrNumber.trim();
      if (!text) return null;
      if (/^\d+$/.test(text)) {
        const found = await sales.findOne({ selector: { stationId: deps.stationId, number: Number(text) } }).exec();
        if (found) return found.toJSON() as Sale;
      }
      const doc = await sales.findOne(text).exec();
      return doc ? (doc.toJSON() as Sale) : null;
    },

    sales$: () => liveJson<Sale>(sales.find().$, byNewest),
    cashMovements$: () => liveJson<CashMovement>(cash.find().$, byNewest),
    audit$: () => liveJson<AuditEvent>(audit.find().$, byNewest),

    dispose() {
      subscription.unsubscribe();
      cashChanges.unsubscribe();
    },
  };
}

/** Live query results as plain JSON, newest first. */
function liveJson<T>(source: Observable<RxDocument<T>[]>, order: (a: T, b: T) => number): Observable<T[]> {
  return source.pipe(map((docs) => docs.map((doc) => doc.toJSON() as T).sort(order)));
}
