import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, call, DATABASE_KINDS, startTestServer, type Call, type TestServer } from './support/servers.ts';
import { cpf } from './support/documents.ts';

/**
 * Issue 12 acceptance, e-commerce side (seed 001): a middleware creates orders, pays, invoices and
 * cancels them, retrying every request (as after a lost answer) and racing other orders for the last
 * units. Stock never goes below what was available, every move happens once, and no order that got a
 * success is lost. On PGlite and on PostgreSQL (where requests really run concurrently).
 */
describe.each(DATABASE_KINDS)('e-commerce simulation on %s', (kind) => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    token = await adminToken(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => call(server.url, method, `/api/v1${path}`, { token, body, headers });
  const PRICE = 4990;
  const order = (id: string, lines: [sku: string, quantity: number][]) => ({
    id,
    customer: { name: `Cliente ${id}`, taxId: cpf(id.length * 97 + lines.length) },
    delivery: { address: 'Av. Paulista, 1000', city: 'São Paulo', uf: 'SP', cep: '01310-100', shippingCents: 990 },
    payment: { method: 'card', installments: 3, amountCents: lines.reduce((sum, [, quantity]) => sum + quantity * PRICE, 0) + 990 },
    items: lines.map(([sku, quantity]) => ({ sku, quantity, unitPriceCents: PRICE })),
  });
  /** A request sent `times` times at once, as a middleware retrying after a timeout does. */
  const retried = (times: number, send: () => Promise<Call>) => Promise.all(Array.from({ length: times }, send));
  const level = async (sku: string) => (await api('GET', `/stock?sku=${sku}`)).body.levels[0] as { stock: number; reserved: number; available: number };
  const load = async (items: { sku: string; stock: number }[]) => {
    const answer = await api('POST', '/products/batch', { items: items.map(({ sku, stock }) => ({ sku, stock, name: `Produto ${sku}`, unit: 'UN', priceCents: PRICE, groupId: 'loja1-grp-hidraulica' })) });
    expect(answer.body.summary.error).toBe(0);
  };

  it('API-04 API-05 concurrent orders for the last unit, each retried: one order gets it, once, and stock never goes below zero', async () => {
    await load([{ sku: 'ECOM-LAST', stock: 1 }]);
    const attempts = await Promise.all(Array.from({ length: 8 }, (_v, i) => retried(3, () => api('POST', '/orders', order(`race-${i}`, [['ECOM-LAST', 1]])))));
    const winners = attempts.filter((answers) => answers.some((answer) => answer.status === 201));
    expect(winners).toHaveLength(1);
    // The winner's retries answer the same order; every loser's attempt is a stock refusal, never a 500.
    const winner = winners[0]!;
    expect(winner.map((answer) => answer.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(winner.map((answer) => answer.body.id)).size).toBe(1);
    for (const answers of attempts.filter((a) => a !== winner)) for (const answer of answers) expect(answer.body.error?.code).toBe('insufficient_stock');
    expect(await level('ECOM-LAST')).toEqual(expect.objectContaining({ stock: 1, reserved: 1, available: 0 }));

    const id = winner[0]!.body.id as string;
    await retried(3, () => api('POST', `/orders/${id}/pay`));
    const invoiced = await retried(4, () => api('POST', `/orders/${id}/invoice`, undefined, { 'idempotency-key': `inv-${id}` }));
    expect(invoiced.every((answer) => answer.status === 200 || answer.status === 409)).toBe(true);
    expect((await api('GET', `/orders/${id}`)).body).toMatchObject({ status: 'invoiced', reservation: { status: 'committed' } });
    expect(await level('ECOM-LAST')).toEqual(expect.objectContaining({ stock: 0, reserved: 0, available: 0 }));
    expect((await api('GET', '/orders?status=new')).body.orders.filter((o: { id: string }) => o.id.startsWith('race-'))).toEqual([]);
  });

  it('API-04 API-05 a day of orders under retries: invoicing commits, cancelling releases, lapsed reservations free stock, nothing lost or doubled', async () => {
    await load([
      { sku: 'ECOM-A', stock: 30 },
      { sku: 'ECOM-B', stock: 12 },
    ]);
    const plan = Array.from({ length: 18 }, (_v, n) => ({ id: `day-${n}`, lines: [['ECOM-A', 1 + (n % 3)], ...(n % 2 === 0 ? [['ECOM-B', 1]] : [])] as [string, number][], fate: (['invoice', 'cancel', 'paid', 'lapse', 'cancelPaid', 'deliver'] as const)[n % 6]! }));
    const created = await Promise.all(plan.map((entry) => retried(2, () => api('POST', '/orders', order(entry.id, entry.lines)))));
    const accepted = plan.filter((_entry, i) => created[i]!.some((answer) => answer.status === 201));
    for (const answers of created) for (const answer of answers) expect([200, 201, 409]).toContain(answer.status);

    await Promise.all(
      accepted.map(async ({ id, fate }) => {
        const act = (action: string) => retried(2, () => api('POST', `/orders/${id}/${action}`, action === 'cancel' ? { reason: 'desistência' } : undefined));
        if (fate === 'cancel') return act('cancel');
        if (fate === 'lapse') return server.query("UPDATE stock_reservations SET expires_at = now() - interval '1 second' WHERE id = $1", [`order/${id}`]);
        await act('pay');
        if (fate === 'cancelPaid') return act('cancel');
        if (fate === 'paid') return;
        await act('invoice');
        if (fate === 'deliver') {
          await act('ship');
          await act('deliver');
        }
      }),
    );

    // Every accepted order is there, in the state its fate says, and listed once.
    const listed: { id: string; status: string; items: { sku: string; quantity: number }[] }[] = [];
    let cursor = '';
    for (;;) {
      const page = (await api('GET', `/orders?limit=5${cursor ? `&cursor=${cursor}` : ''}`)).body;
      listed.push(...page.orders.filter((o: { id: string }) => o.id.startsWith('day-')));
      if (!page.hasMore) break;
      cursor = page.nextCursor;
    }
    expect(listed.map((o) => o.id).sort()).toEqual(accepted.map((o) => o.id).sort());
    const expected = { invoice: 'invoiced', cancel: 'cancelled', paid: 'paid', lapse: 'new', cancelPaid: 'cancelled', deliver: 'delivered' } as const;
    for (const entry of accepted) expect(listed.find((o) => o.id === entry.id)?.status, entry.id).toBe(expected[entry.fate]);

    // Stock: on hand = loaded − what invoiced orders took; reserved = what paid orders hold.
    const units = (sku: string, states: string[]) => listed.filter((o) => states.includes(o.status)).reduce((sum, o) => sum + o.items.filter((i) => i.sku === sku).reduce((s, i) => s + i.quantity, 0), 0);
    for (const [sku, loaded] of [['ECOM-A', 30], ['ECOM-B', 12]] as const) {
      const now = await level(sku);
      expect(now.stock, sku).toBe(loaded - units(sku, ['invoiced', 'delivered']));
      expect(now.reserved, sku).toBe(units(sku, ['paid']));
      expect(now.available, sku).toBeGreaterThanOrEqual(0);
    }
  });

  it('API-04 a lapsed order whose units were taken meanwhile cannot be paid; it can still be cancelled, once', async () => {
    await load([{ sku: 'ECOM-LAPSE', stock: 1 }]);
    expect((await api('POST', '/orders', order('slow-1', [['ECOM-LAPSE', 1]]))).status).toBe(201);
    await server.query("UPDATE stock_reservations SET expires_at = now() - interval '1 second' WHERE id = 'order/slow-1'");
    expect((await api('POST', '/orders', order('fast-1', [['ECOM-LAPSE', 1]]))).status).toBe(201);
    const pay = await api('POST', '/orders/slow-1/pay');
    expect(pay).toMatchObject({ status: 409, body: { error: { code: 'insufficient_stock' } } });
    expect((await api('GET', '/orders/slow-1')).body).toMatchObject({ status: 'new', reservation: { status: 'expired' } });
    expect((await api('POST', '/orders/slow-1/cancel')).body).toMatchObject({ applied: true, order: { status: 'cancelled', reservation: { status: 'released' } } });
    expect(await level('ECOM-LAPSE')).toEqual(expect.objectContaining({ stock: 1, reserved: 1, available: 0 }));
  });
});
