import { describe, expect, it } from 'vitest';
import { startSync } from '../../sync/client/index.ts';
import { cleanupAfterEach, openDeviceDb, until } from './sync-client-helpers.ts';
import { call, DATABASE_KINDS, login, pairStation } from './support/servers.ts';
import { CANCEL_REASON, posSale } from './support/pos-sales.ts';

/**
 * Issue 12 acceptance, ERP side (seed 004): the ERP is the master of registrations. It loads master
 * data and products with prices and stock through batch upserts; a station receives them through
 * sync, sells while the server is out of reach, uploads when it is back, and the ERP reads the sales
 * back through the sales movements: the totals match to the cent. The benchmark does 100,000
 * products (npm run bench); this test does fewer.
 */
const { cleanups, server, place } = cleanupAfterEach();
const PRODUCTS = 2_500;

describe.each(DATABASE_KINDS)('ERP simulation on %s', (kind) => {
  it('API-04 POS-03 POS-02 POS-09 the ERP loads products, a station sells them offline, and the ERP reads the sales back to the cent', { timeout: 180_000 }, async () => {
    const data = await place(kind);
    const first = await server(kind, data);
    const port = Number(new URL(first.url).port);
    const erp = (await login(first, 'admin', 'admin123')).token;
    const erpCall = (url: string, method: string, path: string, body?: unknown) => call(url, method, `/api/v1${path}`, { token: erp, body });

    // 1. Master data and products from the ERP, in batches of 1,000 (the last one shorter).
    const master = await erpCall(first.url, 'POST', '/masterdata/batch', {
      items: [
        { kind: 'productGroup', code: 'erp-ferramentas', name: 'Ferramentas (ERP)' },
        { kind: 'seller', code: 'erp-v1', name: 'Vendedora do ERP' },
        { kind: 'paymentType', code: 'erp-pix', name: 'PIX (ERP)', method: 'pix' },
      ],
    });
    expect(master.body.summary).toMatchObject({ created: 3, error: 0 });
    const [groupId, sellerId, pixId] = master.body.results.map((result: { id: string }) => result.id) as [string, string, string];
    const catalogue = Array.from({ length: PRODUCTS }, (_v, i) => ({
      id: `erp-${i}`,
      sku: `ERP${String(i).padStart(6, '0')}`,
      barcode: `2${String(i).padStart(12, '0')}`,
      name: `Ferramenta ${i}`,
      unit: 'UN',
      // Prices that do not hide rounding: odd cents between R$ 1,01 and R$ 999,99.
      priceCents: 101 + ((i * 7_919) % 99_898),
      stock: 50 + (i % 17),
      groupId,
    }));
    for (let start = 0; start < PRODUCTS; start += 1_000) {
      const batch = await erpCall(first.url, 'POST', '/products/batch', { items: catalogue.slice(start, start + 1_000) });
      expect(batch.status).toBe(200);
      expect(batch.body.summary.error).toBe(0);
    }

    // 2. A station receives them through sync.
    const station = await pairStation(first, 'cx01');
    const cashier = (await login(first, 'caixa', 'caixa123', 'loja1', station)).token;
    const { db, cols } = await openDeviceDb(`erp-sim-${kind}-${Date.now()}`, ['products', 'masterdata', 'sales']);
    // pendingIntervalMs: the wait for "nothing pending" below need not sit out the default 2 s recount throttle.
    const engine = startSync({ serverUrl: first.url, collections: cols, getToken: () => cashier, retryTime: 200, maxRetryTime: 1000, pendingIntervalMs: 50 });
    cleanups.push(async () => {
      await engine.stop();
      await db.close();
    });
    await until(async () => (await cols.products!.count({ selector: { groupId } }).exec()) === PRODUCTS, 'the ERP catalogue on the station', 120_000);
    await until(async () => (await cols.masterdata!.findByIds([sellerId, pixId]).exec()).size === 2, 'the ERP master data on the station');
    const onStation = await cols.products!.findOne('erp-1234').exec();
    expect(onStation?.toJSON()).toMatchObject({ priceCents: catalogue[1234]!.priceCents, stock: catalogue[1234]!.stock });

    // 3. The server goes away; the station keeps selling at the prices it received.
    await first.close();
    await until(() => !engine.status.online, 'offline noticed');
    const now = Date.now();
    const sales = Array.from({ length: 40 }, (_v, n) => {
      const lines = [0, 1, 2].slice(0, 1 + (n % 3)).map((k) => {
        const product = catalogue[(n * 61 + k * 13) % PRODUCTS]!;
        return [product.id, 1 + ((n + k) % 4), product.priceCents] as [string, number, number];
      });
      const sale = posSale(`erp-sale-${kind}-${n}`, station.stationId, lines, { number: n + 1, sellerId, createdAt: new Date(now - (40 - n) * 1000).toISOString() });
      const total = sale.totalCents as number;
      // Every third sale is paid by PIX and cash together.
      if (n % 3 === 0) sale.payments = [{ paymentTypeId: pixId, amountCents: total - 100 }, { paymentTypeId: 'loja1-paymentType-dinheiro', amountCents: 100 }];
      const { _deleted: _ignored, ...doc } = sale;
      return doc;
    });
    await cols.sales!.bulkInsert(sales);
    // One sale is cancelled at the station, also offline (POS-10).
    const cancelledId = `erp-sale-${kind}-7`;
    await (await cols.sales!.findOne(cancelledId).exec())!.incrementalPatch({ status: 'cancelled', cancellation: { reasonId: CANCEL_REASON, userId: 'loja1-caixa', at: new Date(now).toISOString() } });

    // 4. The server is back: the station uploads by itself.
    const second = await server(kind, data, port);
    await until(() => engine.status.online && engine.status.pendingUploads === 0, 'offline sales uploaded', 60_000);

    // 5. The ERP reads the movements back, page by page, and the totals match to the cent.
    const read: Record<string, unknown>[] = [];
    let cursor = '';
    for (;;) {
      const page = await erpCall(second.url, 'GET', `/sales/movements?stationId=${station.stationId}&from=${new Date(now - 3_600_000).toISOString()}&to=${new Date(now + 3_600_000).toISOString()}&limit=15${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      read.push(...page.body.sales);
      cursor = page.body.nextCursor;
      if (!page.body.hasMore) break;
    }
    expect(read.map((sale) => sale.id).sort()).toEqual(sales.map((sale) => sale.id).sort());
    const finished = (list: Record<string, unknown>[]) => list.filter((sale) => sale.id !== cancelledId);
    const cents = (list: Record<string, unknown>[], field: 'totalCents') => list.reduce((sum, sale) => sum + (sale[field] as number), 0);
    const paid = (list: Record<string, unknown>[]) => list.reduce((sum, sale) => sum + (sale.payments as { amountCents: number }[]).reduce((s, p) => s + p.amountCents, 0), 0);
    expect(cents(finished(read.filter((sale) => sale.status === 'finished')), 'totalCents')).toBe(cents(finished(sales), 'totalCents'));
    expect(paid(read.filter((sale) => sale.status === 'finished'))).toBe(paid(finished(sales)));
    expect(read.find((sale) => sale.id === cancelledId)).toMatchObject({ status: 'cancelled', cancellation: { reasonId: CANCEL_REASON } });
    expect(read[0]).toMatchObject({ items: expect.any(Array), payments: expect.any(Array), sellerId, stationId: station.stationId, storedAt: expect.any(String) });

    // Nothing new since the last cursor; stock on the server went down by what the finished sales sold.
    expect((await erpCall(second.url, 'GET', `/sales/movements?cursor=${cursor}`)).body.sales).toEqual([]);
    const sold = new Map<string, number>();
    for (const sale of finished(sales)) for (const item of sale.items as { productId: string; quantity: number }[]) sold.set(item.productId, (sold.get(item.productId) ?? 0) + item.quantity);
    const [someId, someQuantity] = [...sold.entries()][0]!;
    const index = Number(someId.slice(4));
    expect((await erpCall(second.url, 'GET', `/stock?productId=${someId}`)).body.levels[0].stock).toBe(catalogue[index]!.stock - someQuantity);

    // A cashier signed in on the station reads only that station's movements.
    expect((await call(second.url, 'GET', '/api/v1/sales/movements?stationId=loja1-cx02', { token: cashier })).status).toBe(403);
  });
});
