import { describe, expect, it } from 'vitest';
import type { RxCollection } from 'rxdb';
import { startSync } from '../../sync/client/index.ts';
import type { CollectionName } from '../../sync/schema/index.ts';
import { cleanupAfterEach, login, openDeviceDb, until, type Server } from './sync-client-helpers.ts';
import { DATABASE_KINDS, type TestServer } from './support/servers.ts';
import { backofficeClient, contractDoc, customer, requestDoc, rows, serviceDoc, usageDoc, type BackofficeClient } from './support/backoffice.ts';
import { dayOf, PERIODS } from './support/periods.ts';

const { cleanups, server } = cleanupAfterEach();
const DEVICE_COLLECTIONS: CollectionName[] = ['customers', 'backoffice', 'consumption', 'backofficeActions'];

type Doc = Record<string, unknown>;

/** The server's state of one document, as a device pulls it (null when the server holds nothing of it). */
async function serverState(srv: Server, token: string, collection: CollectionName, id: string): Promise<Doc | null> {
  const response = await fetch(`${srv.url}/api/sync/${collection}/pull?limit=10000`, { headers: { authorization: `Bearer ${token}` } });
  const page = (await response.json()) as { documents: Doc[] };
  return page.documents.find((doc) => doc.id === id) ?? null;
}

/** The device's stored state of one document, as the server would hold it (no RxDB bookkeeping). */
async function deviceState(col: RxCollection, id: string): Promise<Doc | null> {
  const doc = await col.findOne(id).exec();
  if (!doc) return null;
  const { _meta: _m, _rev: _r, _attachments: _a, ...data } = doc.toMutableJSON(true) as Doc;
  return { ...data, _deleted: doc.deleted };
}

/** Equal as JSON values, whatever the order of their keys. */
function sameState(a: unknown, b: unknown): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(canonical) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => [k, canonical(v)])) : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

async function openErrors(bo: BackofficeClient): Promise<Awaited<ReturnType<BackofficeClient['errors']>>> {
  return (await bo.errors()).filter((entry) => !entry.resolvedAt);
}

/** A store with a customer who owes (an open receivable of this month: its contract is activated by the real clock, support/periods.ts), another contract, services and a usage record, all on the server. */
async function seedStore(bo: BackofficeClient): Promise<void> {
  expect((await bo.push('customers', rows(customer(1), customer(2), customer(3)))).body).toEqual([]);
  expect((await bo.push('backoffice', rows(serviceDoc('fee'), serviceDoc('min', { monthlyFeeCents: 0, unit: 'min', unitPriceCents: 12 }), serviceDoc('spare')))).body).toEqual([]);
  expect((await bo.push('backoffice', rows(contractDoc('ct-1', 'bo-cust-1', [['fee', 1], ['min', 1]]), contractDoc('ct-2', 'bo-cust-2', [['fee', 1]])))).body).toEqual([]);
  expect((await bo.push('backofficeActions', rows(requestDoc('rq-1', 'ct-1', 'activate')))).body).toEqual([]);
  expect((await bo.push('consumption', rows(usageDoc('u-1', 'ct-1', 'min', 30, dayOf(PERIODS.next, 5))))).body).toEqual([]);
  expect((await bo.api('POST', '/billing-runs', { period: PERIODS.current })).body.created).toBeGreaterThan(0);
}

/**
 * Issue 11: a change the server refuses is kept in its refusal list (integration errors) and written
 * nowhere; the device that made it used to keep its refused state for good (R's reproduction: a
 * customer shown INATIVO while the server keeps it active). The push answer now gives back the server's
 * state of every refused document it holds, and the device stores it (sync/server/sync/refused-masters.ts).
 */
describe.each(DATABASE_KINDS)('a refused change, uploaded by the real sync client (%s)', (kind) => {
  async function device(srv: Server, name: string) {
    const { token } = await login(srv.url, 'retaguarda', 'retaguarda123');
    const { db, cols } = await openDeviceDb(name, DEVICE_COLLECTIONS);
    const engine = startSync({ serverUrl: srv.url, collections: cols, getToken: () => token, retryTime: 100, maxRetryTime: 300 });
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      await engine.stop();
      await db.close();
    };
    cleanups.push(stop);
    await engine.awaitInSync();
    return { token, db, cols, engine, stop };
  }

  it('BO-01 BO-02 BO-03 BO-04 POS-07 every refused change of a document the server holds goes back to the server\'s version on the device, also after a reload; the refused version stays listed', async () => {
    const srv = await server(kind);
    const bo = await backofficeClient(srv as unknown as TestServer);
    await seedStore(bo);
    const name = `refused_state_${kind}_${Date.now()}`;
    const { token, cols, stop } = await device(srv, name);
    await until(async () => (await cols.consumption!.findOne('u-1').exec()) !== null && (await cols.backoffice!.findOne('ct-1').exec())?.get('state') === 'active', 'the store on the device');

    const patch = async (collection: CollectionName, id: string, fields: Doc) => (await cols[collection]!.findOne(id).exec())!.incrementalPatch(fields);
    const cases: { collection: CollectionName; id: string; reason: string; change: () => Promise<unknown> }[] = [
      // R's case: a customer with an open receivable cannot be deactivated.
      { collection: 'customers', id: 'bo-cust-1', reason: 'open_receivables', change: () => patch('customers', 'bo-cust-1', { active: false, deactivationReason: 'Mudou de cidade' }) },
      { collection: 'customers', id: 'bo-cust-2', reason: 'duplicate_key', change: async () => patch('customers', 'bo-cust-2', { taxId: (await serverState(srv, token, 'customers', 'bo-cust-3'))!.taxId }) },
      // The database refuses it (NUL in text): the batch is written row by row and this row refused.
      { collection: 'customers', id: 'bo-cust-3', reason: 'invalid_value', change: () => patch('customers', 'bo-cust-3', { name: 'Jo\u0000ão' }) },
      { collection: 'backoffice', id: 'fee', reason: 'in_use', change: async () => (await cols.backoffice!.findOne('fee').exec())!.remove() },
      // The push schema refuses it (above what cents hold): the body is split row by row (malformed-rows.ts).
      { collection: 'backoffice', id: 'spare', reason: 'invalid_value', change: () => patch('backoffice', 'spare', { monthlyFeeCents: 100_000_000_001 }) },
      { collection: 'backoffice', id: 'ct-1', reason: 'duplicate_key', change: () => patch('backoffice', 'ct-1', { code: 'CT-2' }) },
      { collection: 'consumption', id: 'u-1', reason: 'invalid_value', change: () => patch('consumption', 'u-1', { date: '2029-01-05' }) },
      // Requests are append-only: a stored one cannot change.
      { collection: 'backofficeActions', id: 'rq-1', reason: 'immutable_document', change: () => patch('backofficeActions', 'rq-1', { reason: 'changed afterwards' }) },
    ];
    const before = new Map<string, Doc>();
    for (const { collection, id } of cases) before.set(id, (await serverState(srv, token, collection, id))!);
    for (const { change } of cases) await change();

    for (const { collection, id, reason } of cases) {
      await until(async () => (await openErrors(bo)).some((entry) => entry.documentId === id && entry.reason === reason), `${collection} ${id} refused (${reason})`);
      await until(async () => sameState(await deviceState(cols[collection]!, id), await serverState(srv, token, collection, id)), `${collection} ${id} back to the server's version on the device`).catch(async (error: unknown) => {
        throw new Error(`${String(error)}: device ${JSON.stringify(await deviceState(cols[collection]!, id))}, server ${JSON.stringify(await serverState(srv, token, collection, id))}`);
      });
      // The server kept its version; the refused one is in the list, as sent.
      expect(await serverState(srv, token, collection, id)).toEqual(before.get(id));
    }
    const errors = await openErrors(bo);
    expect(errors.find((entry) => entry.documentId === 'bo-cust-1')?.document).toMatchObject({ active: false, deactivationReason: 'Mudou de cidade' });
    expect(errors.find((entry) => entry.documentId === 'fee')?.document).toMatchObject({ _deleted: true });
    expect(errors.find((entry) => entry.documentId === 'ct-1')?.document).toMatchObject({ code: 'CT-2' });

    // A reload (offline: no sync) shows the server's versions too.
    await stop();
    const reopened = await openDeviceDb(name, DEVICE_COLLECTIONS);
    cleanups.push(() => reopened.db.close());
    for (const { collection, id } of cases) expect([id, await deviceState(reopened.cols[collection]!, id)]).toEqual([id, await serverState(srv, token, collection, id)]);
    expect(await deviceState(reopened.cols.customers!, 'bo-cust-1')).toMatchObject({ active: true });
  });

  it('BO-01 POS-07 a refused change that is then fixed on the device uploads and settles the refusal; a refused new document stays on the device, listed, until corrected', async () => {
    const srv = await server(kind);
    const bo = await backofficeClient(srv as unknown as TestServer);
    await seedStore(bo);
    const { token, cols } = await device(srv, `refused_fix_${kind}_${Date.now()}`);
    await until(async () => (await cols.customers!.findOne('bo-cust-3').exec()) !== null, 'the customers on the device');
    const taken = (await serverState(srv, token, 'customers', 'bo-cust-3'))!.taxId as string;

    // A new customer whose CPF another one holds: the server has nothing to go back to, so the device keeps what the user typed.
    const { _deleted: _new, ...typed } = customer(9);
    await cols.customers!.insert({ ...typed, taxId: taken });
    await until(async () => (await openErrors(bo)).some((entry) => entry.documentId === 'bo-cust-9' && entry.reason === 'duplicate_key'), 'the new customer refused');
    expect(await serverState(srv, token, 'customers', 'bo-cust-9')).toBeNull();
    expect(await deviceState(cols.customers!, 'bo-cust-9')).toMatchObject({ taxId: taken, _deleted: false });

    // Corrected on the device: uploaded, and the refusal settled.
    await (await cols.customers!.findOne('bo-cust-9').exec())!.incrementalPatch({ taxId: customer(10).taxId });
    await until(async () => (await serverState(srv, token, 'customers', 'bo-cust-9'))?.taxId === customer(10).taxId, 'the corrected new customer uploaded');
    await until(async () => !(await openErrors(bo)).some((entry) => entry.documentId === 'bo-cust-9'), 'its refusal settled');

    // A refused change to a held customer comes back as the server's; changing it again from there is an ordinary edit.
    await (await cols.customers!.findOne('bo-cust-2').exec())!.incrementalPatch({ taxId: taken });
    await until(async () => (await openErrors(bo)).some((entry) => entry.documentId === 'bo-cust-2'), 'the change refused');
    await until(async () => (await deviceState(cols.customers!, 'bo-cust-2'))?.taxId === customer(2).taxId, 'the device back to the server\'s CPF');
    await (await cols.customers!.findOne('bo-cust-2').exec())!.incrementalPatch({ name: 'Cliente BO 2 Ltda' });
    await until(async () => (await serverState(srv, token, 'customers', 'bo-cust-2'))?.name === 'Cliente BO 2 Ltda', 'the later edit uploaded');
    await until(async () => !(await openErrors(bo)).some((entry) => entry.documentId === 'bo-cust-2'), 'the refusal settled by the later write');
    expect(await deviceState(cols.customers!, 'bo-cust-2')).toEqual(await serverState(srv, token, 'customers', 'bo-cust-2'));
  });
});
