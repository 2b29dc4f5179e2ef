import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTION_NAMES, productSchema, type CollectionName } from '../../sync/schema/index.ts';
import { documentSchema } from '../../sync/server/validation/schemas.ts';
import { compileBodyValidator } from '../../sync/server/validation/validator.ts';
import { action, projectWithEnvironment, startDesignWorld, USERS, type DesignWorld } from '../design-sim/test-world.ts';
import { DATABASE_KINDS, pullAll, stationSession } from './support/servers.ts';
import { backofficeClient, contractDoc, customer, requestDoc, rows, serviceDoc, usageDoc } from './support/backoffice.ts';
import { customerDoc } from './support/documents.ts';
import { cancelled, posSale, stockOf } from './support/pos-sales.ts';

const STOCK_MIN = productSchema.properties.stock.minimum;
const STOCK_MAX = productSchema.properties.stock.maximum;

/** Issue 14, kind 4: everything the server writes — derived fields included — passes the collection's schema. */
describe.each(DATABASE_KINDS)('every document the server serves passes its schema on %s (issue 14)', (kind) => {
  let world: DesignWorld;
  let cashier: string;
  let stationId: string;
  const now = () => new Date().toISOString();

  const push = (token: string, collection: string, docs: Record<string, unknown>[], assumed?: Record<string, unknown>[]) =>
    world.call('POST', `/api/sync/${collection}/push`, { token, body: docs.map((doc, index) => ({ newDocumentState: doc, assumedMasterState: assumed?.[index] ?? null })) });
  const designer = (kind: Parameters<typeof action>[0], fields: Parameters<typeof action>[2]) => action(kind, USERS.designer, fields);

  beforeAll(async () => {
    world = await startDesignWorld(kind);
    await world.call('POST', '/api/design/link', { token: world.tokens.designer, body: { login: 'projetista', password: 'projetista-design' } });
    const session = await stationSession(world.server, 'cx01');
    cashier = session.token;
    stationId = session.station.stationId;
  });
  afterAll(async () => world?.close());

  it('POS-10 stock saturates at the schema bounds: a sale at the minimum stays servable, and what was read can be written back', async () => {
    const read = async (id: string) => (await world.call('GET', `/api/v1/products/${id}`, { token: world.tokens.admin })).body as Record<string, unknown>;
    const { _deleted, ...low } = await read('p-00700');
    expect((await world.call('PUT', '/api/v1/products/p-00700', { token: world.tokens.admin, body: { ...low, stock: STOCK_MIN } })).status).toBe(200);
    const sale = posSale('bound-sale-1', stationId, [['p-00700', 5, Number(low.priceCents)]], { createdAt: now() });
    expect((await push(cashier, 'sales', [sale])).body).toEqual([]);
    expect((await world.call('GET', '/api/v1/sales/bound-sale-1', { token: world.tokens.admin })).status).toBe(200);
    expect(await stockOf(world.server, world.tokens.admin, ['p-00700'])).toEqual({ 'p-00700': STOCK_MIN });
    const { _deleted: _d2, ...after } = await read('p-00700');
    expect((await world.call('PUT', '/api/v1/products/p-00700', { token: world.tokens.admin, body: after })).status).toBe(200);

    // And at the top: goods coming back to a product already at the maximum stay at the maximum.
    const { _deleted: _d3, ...high } = await read('p-00701');
    const sold = posSale('bound-sale-2', stationId, [['p-00701', 3, Number(high.priceCents)]], { createdAt: now() });
    expect((await push(cashier, 'sales', [sold])).body).toEqual([]);
    expect((await world.call('PUT', '/api/v1/products/p-00701', { token: world.tokens.admin, body: { ...(await read('p-00701')), _deleted: undefined, stock: STOCK_MAX } })).status).toBe(200);
    expect((await push(cashier, 'sales', [cancelled(sold, now())], [sold])).body).toEqual([]);
    expect(await stockOf(world.server, world.tokens.admin, ['p-00701'])).toEqual({ 'p-00701': STOCK_MAX });
  });

  it('DES-06 DES-09 a design result beyond the schema limits is refused and changes nothing; the refusal says which field', async () => {
    const { projectId, environmentId } = await projectWithEnvironment(world, { environment: 'Limites' });
    // A save whose priced lines would exceed the largest amount a budget line holds.
    const huge = await world.sim.save(projectId, 'Limites', { items: [{ code: 'BIG-1', description: 'Painel', quantity: 1_000_000, listPriceCents: 100_000_000_000 }] });
    expect(huge).toMatchObject({ status: 422, body: { error: { code: 'validation_failed', message: expect.stringMatching(/cannot be priced within the store system's limits/) } } });
    expect((await world.environment(environmentId)).latestDesignRevision).toBe(0);

    // A hand-added line whose total exceeds the schema maximum: refused as invalid_value, nothing applied.
    const big = designer('addItem', { environmentId, item: { description: 'Obra', quantity: 1_000_000, unitPriceCents: 100_000_000_000 } });
    expect((await world.act(world.tokens.designer, big)).body).toEqual([]);
    const env = await world.environment(environmentId);
    expect(env.items).toHaveLength(0);
    expect(env.lastRefusal).toMatchObject({ actionId: big.id, code: 'invalid_value', message: expect.stringMatching(/beyond the limits/) });
    expect((await world.errors()).find((error) => error.documentId === big.id)).toMatchObject({ reason: 'invalid_value' });
  });

  it('API-01 after sales, exchanges, cancellations, cash and design work, every document of every collection passes its schema', async () => {
    // Point of sale: sales, an exchange, cancellations (of a sale and of an exchange), cash, audit, customers.
    const s1 = posSale('sw-1', stationId, [['p-00710', 2, 1000], ['p-00711', 1, 2500]], { createdAt: now() });
    const s2 = posSale('sw-2', stationId, [['p-00712', 1, 3000]], { createdAt: now(), number: 2 });
    const exchange = posSale('sw-3', stationId, [['p-00713', 1, 1500]], { createdAt: now(), number: 3, returned: { originalSaleId: 'sw-1', lines: [['p-00710', 1, 1000]] } });
    expect((await push(cashier, 'sales', [s1, s2, exchange])).body).toEqual([]);
    expect((await push(cashier, 'sales', [cancelled(exchange, now()), cancelled(s2, now())], [exchange, s2])).body).toEqual([]);
    const movement = (id: string, kind: string, extra: Record<string, unknown> = {}) => ({ id, stationId, userId: 'loja1-caixa', kind, amountCents: 10_000, at: now(), _deleted: false, ...extra });
    expect((await push(cashier, 'cashMovements', [movement('sw-cm-1', 'opening'), movement('sw-cm-2', 'supply', { reasonId: 'loja1-financialReason-suprimento' })])).body).toEqual([]);
    const audit = (id: string, auditAction: string) => ({ id, stationId, userId: 'loja1-caixa', at: now(), action: auditAction, subjectId: 'sw-1', _deleted: false });
    expect((await push(cashier, 'auditEvents', [audit('sw-a1', 'sale'), audit('sw-a2', 'cancel')])).body).toEqual([]);
    expect((await push(cashier, 'customers', [customerDoc(7001, { updatedAt: now() }), customerDoc(7002, { updatedAt: now() })])).body).toEqual([]);
    expect((await push(cashier, 'customers', [customerDoc(7001, { updatedAt: now(), name: 'Renomeado' })], [customerDoc(7001)])).status).toBe(200);

    // Design: versions, a hand item, approval, release, review with a change after conversion, purchase orders, an occurrence.
    const longName = 'Cozinha '.repeat(25).trim().slice(0, 200);
    const { projectId, environmentId } = await projectWithEnvironment(world, { environment: longName });
    await world.sim.save(projectId, longName);
    expect((await world.act(world.tokens.designer, designer('updateEnvironment', { environmentId, designRevision: 1 }))).body).toEqual([]);
    expect((await world.act(world.tokens.designer, designer('addItem', { environmentId, item: { description: 'Montagem', quantity: 1, unitPriceCents: 20_000 } }))).body).toEqual([]);
    // The app sends the budget its approver saw (DES-11): here the one with the hand item.
    const { budget } = await world.environment(environmentId);
    expect((await world.act(world.tokens.designer, designer('approveBudget', { environmentId, versionNumber: 1, budgetRevision: budget.revision, budgetTotalCents: budget.totalCents }))).body).toEqual([]);
    expect((await world.act(world.tokens.backoffice, action('releaseContract', USERS.backoffice, { projectId }))).body).toEqual([]);
    await world.sim.save(projectId, longName);
    expect((await world.act(world.tokens.reviewer, action('startReview', USERS.reviewer, { projectId }))).body).toEqual([]);
    expect((await world.act(world.tokens.reviewer, action('updateEnvironment', USERS.reviewer, { environmentId, designRevision: 2 }))).body).toEqual([]);
    expect((await world.act(world.tokens.reviewer, action('finishReview', USERS.reviewer, { projectId }))).body).toEqual([]);
    const occurrence = randomUUID();
    expect((await world.act(world.tokens.designer, designer('createOccurrence', { environmentId, newId: occurrence, occurrenceSource: 'manual' }))).body).toEqual([]);
    const occurred = await world.environment(occurrence);
    expect(occurred.name).toHaveLength(200);
    expect((await pullAll(world.server, world.tokens.admin, 'purchaseOrders')).some((order) => order.projectId === projectId)).toBe(true);

    // Back office: a customer, a service, a contract activated by a device's request (the server writes its state and history), usage, a billing run.
    const bo = await backofficeClient(world.server);
    expect((await bo.push('customers', rows(customer(91)))).body).toEqual([]);
    expect((await bo.push('backoffice', rows(serviceDoc('sweep-fee'), contractDoc('sweep-ct', 'bo-cust-91', [['sweep-fee', 1]])))).body).toEqual([]);
    expect((await bo.push('backofficeActions', rows(requestDoc('sweep-rq', 'sweep-ct', 'activate')))).body).toEqual([]);
    expect((await bo.push('consumption', rows(usageDoc('sweep-use', 'sweep-ct', 'sweep-fee', 3, '2026-11-02')))).body).toEqual([]);
    expect((await bo.api('GET', '/contracts/sweep-ct')).body).toMatchObject({ state: 'active' });

    const failures: { collection: CollectionName; id: unknown; field: string; problem: string }[] = [];
    const counts: Record<string, number> = {};
    for (const collection of COLLECTION_NAMES) {
      const validate = compileBodyValidator(documentSchema(collection));
      const docs = await pullAll(world.server, world.tokens.admin, collection, 5000);
      counts[collection] = docs.length;
      for (const { _deleted, ...doc } of docs) {
        const served: unknown = doc;
        if (!validate(served)) failures.push({ collection, id: doc.id, field: validate.errors![0]!.instancePath, problem: validate.errors![0]!.message ?? '' });
      }
    }
    expect(failures).toEqual([]);
    for (const collection of COLLECTION_NAMES) expect({ collection, served: counts[collection]! > 0 }).toEqual({ collection, served: true });
  });
});
