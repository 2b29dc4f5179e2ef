import { at, check, type Step, type StepContext } from './check.ts';

/**
 * The commerce half of the walk (API-07): master data and products in batches, product search,
 * stock adjustment and reservations, an order through its whole status flow, and the sales read back.
 * Each step uses only HTTP and what earlier steps left in `context.state`.
 */
const V1 = '/api/v1';
const PRICE_CENTS = 4_990;
const STOCK = 20;

const skuOf = (context: StepContext, n: number) => `HOM-${context.run}-${n}`.toUpperCase();

async function levelOf(context: StepContext, sku: string) {
  const answer = await context.http.send('GET', `${V1}/stock?sku=${encodeURIComponent(sku)}`);
  check(context, answer.status === 200, `GET /stock?sku=${sku} answers 200`);
  return at(answer.body, 'levels.0') as { stock: number; reserved: number; available: number } | undefined;
}

export const masterData: Step = {
  id: 'master-data',
  name: 'master data batch upsert',
  async run(context) {
    const { http, run } = context;
    const master = await http.send('POST', `${V1}/masterdata/batch`, {
      idempotencyKey: `hom-${run}-masterdata`,
      body: {
        items: [
          { kind: 'productGroup', code: `hom-${run}`, name: `Grupo de homologação ${run}` },
          { kind: 'seller', code: `hv-${run}`, name: `Vendedor de homologação ${run}` },
        ],
      },
    });
    check(context, master.status === 200 && at(master.body, 'summary.error') === 0, 'POST /masterdata/batch answers 200 with summary.error 0');
    const groupId = at(master.body, 'results.0.id');
    check(context, typeof groupId === 'string', 'each result of the batch carries the id it was stored under (results[n].id)');
    context.state.groupId = groupId;
    const products = await http.send('POST', `${V1}/products/batch`, {
      idempotencyKey: `hom-${run}-products`,
      body: { items: [1, 2, 3].map((n) => ({ sku: skuOf(context, n), name: `Produto de homologação ${run} ${n}`, unit: 'UN', priceCents: PRICE_CENTS, stock: STOCK, groupId })) },
    });
    check(context, products.status === 200 && at(products.body, 'summary.error') === 0, 'POST /products/batch answers 200 with summary.error 0');
  },
};

export const productSearch: Step = {
  id: 'product-search',
  name: 'product search',
  async run(context) {
    const sku = skuOf(context, 1);
    const bySku = await context.http.send('GET', `${V1}/products/search?sku=${encodeURIComponent(sku)}`);
    check(context, bySku.status === 200 && at(bySku.body, 'products.0.sku') === sku, `GET /products/search?sku=${sku} finds the product just loaded`);
    check(context, at(bySku.body, 'products.0.priceCents') === PRICE_CENTS, `the product's priceCents is ${PRICE_CENTS}`);
    context.state.productId = at(bySku.body, 'products.0.id') as string;
    const byName = await context.http.send('GET', `${V1}/products/search?q=${encodeURIComponent(`homologação ${context.run}`)}&limit=2`);
    check(context, byName.status === 200 && Array.isArray(at(byName.body, 'products')) && (at(byName.body, 'products') as unknown[]).length === 2, 'a search by name with limit=2 answers a page of 2');
    check(context, at(byName.body, 'hasMore') === true && typeof at(byName.body, 'nextCursor') === 'string', 'the page says hasMore with a nextCursor (3 products match)');
    const next = await context.http.send('GET', `${V1}/products/search?q=${encodeURIComponent(`homologação ${context.run}`)}&limit=2&cursor=${encodeURIComponent(at(byName.body, 'nextCursor') as string)}`);
    check(context, next.status === 200 && (at(next.body, 'products') as unknown[]).length === 1, 'the next page has the third product');
  },
};

export const stockAdjust: Step = {
  id: 'stock-adjustment',
  name: 'stock adjustment',
  async run(context) {
    const sku = skuOf(context, 1);
    const body = { id: `hom-${context.run}-adj`, sku, delta: -2, reason: 'Homologação: quebra' };
    const adjusted = await context.http.send('POST', `${V1}/stock/adjustments`, { idempotencyKey: `hom-${context.run}-adj`, body });
    check(context, adjusted.status === 201 && at(adjusted.body, 'stockBefore') === STOCK && at(adjusted.body, 'stockAfter') === STOCK - 2, `POST /stock/adjustments answers 201 with stockBefore ${STOCK}, stockAfter ${STOCK - 2}`);
    const level = await levelOf(context, sku);
    check(context, level?.stock === STOCK - 2, `GET /stock shows stock ${STOCK - 2}`);
  },
};

export const stockReservation: Step = {
  id: 'stock-reservation',
  name: 'stock reservation: reserve, release, commit',
  async run(context) {
    const { http, run } = context;
    const sku = skuOf(context, 1);
    const reserve = (id: string, quantity: number) => http.send('POST', `${V1}/stock/reservations`, { idempotencyKey: `hom-${run}-${id}`, body: { id: `hom-${run}-${id}`, items: [{ sku, quantity }], ttlSeconds: 600 } });
    const move = (id: string, verb: 'release' | 'commit') => http.send('POST', `${V1}/stock/reservations/hom-${run}-${id}/${verb}`, { idempotencyKey: `hom-${run}-${id}-${verb}` });

    const first = await reserve('r1', 3);
    check(context, first.status === 201 && at(first.body, 'status') === 'active', 'POST /stock/reservations answers 201, status active');
    check(context, (await levelOf(context, sku))?.reserved === 3, 'GET /stock shows 3 reserved');
    const released = await move('r1', 'release');
    check(context, released.status === 200 && at(released.body, 'reservation.status') === 'released', 'POST …/release answers the reservation released');
    check(context, (await levelOf(context, sku))?.reserved === 0, 'after the release nothing is reserved');

    const second = await reserve('r2', 2);
    check(context, second.status === 201, 'a second reservation answers 201');
    const committed = await move('r2', 'commit');
    check(context, committed.status === 200 && at(committed.body, 'reservation.status') === 'committed', 'POST …/commit answers the reservation committed');
    const level = await levelOf(context, sku);
    check(context, level?.stock === STOCK - 4 && level.reserved === 0, `after the commit stock is ${STOCK - 4} and nothing is reserved`);
  },
};

export const orderFlow: Step = {
  id: 'order-flow',
  name: 'order through its status flow',
  async run(context) {
    const { http, run } = context;
    const id = `hom-${run}-order`;
    const sku = skuOf(context, 2);
    const created = await http.send('POST', `${V1}/orders`, {
      idempotencyKey: `hom-${run}-order`,
      body: {
        id,
        customer: { name: 'Cliente da homologação', taxId: context.state.taxId },
        delivery: { address: 'Av. Paulista, 1000', city: 'São Paulo', uf: 'SP', cep: '01310-100', shippingCents: 990 },
        payment: { method: 'card', installments: 1, amountCents: 2 * PRICE_CENTS + 990 },
        items: [{ sku, quantity: 2, unitPriceCents: PRICE_CENTS }],
      },
    });
    check(context, created.status === 201 && at(created.body, 'status') === 'new', 'POST /orders answers 201 with status new');
    for (const [action, status] of [['pay', 'paid'], ['invoice', 'invoiced'], ['ship', 'shipped'], ['deliver', 'delivered']] as const) {
      const moved = await http.send('POST', `${V1}/orders/${id}/${action}`, { idempotencyKey: `hom-${run}-order-${action}` });
      check(context, moved.status === 200 && at(moved.body, 'order.status') === status, `POST /orders/{id}/${action} answers the order ${status}`);
    }
    const read = await http.send('GET', `${V1}/orders/${id}`);
    check(context, read.status === 200 && at(read.body, 'status') === 'delivered' && at(read.body, 'reservation.status') === 'committed', 'GET /orders/{id}: delivered, its reservation committed');
    check(context, (await levelOf(context, sku))?.stock === STOCK - 2, `the invoiced units left stock (${STOCK - 2})`);
  },
};

export const salesReadBack: Step = {
  id: 'sales-read',
  name: 'sales read-back',
  async run(context) {
    let cursor = '';
    for (let page = 0; page < 50; page += 1) {
      const answer = await context.http.send('GET', `${V1}/sales/movements?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      check(context, answer.status === 200 && Array.isArray(at(answer.body, 'sales')) && typeof at(answer.body, 'hasMore') === 'boolean', 'GET /sales/movements answers 200 with sales[] and hasMore');
      check(context, typeof at(answer.body, 'nextCursor') === 'string', 'each page carries a nextCursor to ask with later');
      cursor = at(answer.body, 'nextCursor') as string;
      if (!at(answer.body, 'hasMore')) return;
    }
  },
};

export const COMMERCE_STEPS = [masterData, productSearch, stockAdjust, stockReservation, orderFlow, salesReadBack];
