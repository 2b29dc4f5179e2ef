import { describe, expect, it } from 'vitest';
import { startSync, type SyncEngine, type SyncStatus } from '../../sync/client/index.ts';
import { cleanupAfterEach, customer, login, openDeviceDb, until } from './sync-client-helpers.ts';
import { DATABASE_KINDS } from './support/servers.ts';

const { cleanups, server, place } = cleanupAfterEach();

let dbCounter = 0;
async function device(url: string, token: string, dbName = `dev${Date.now()}${dbCounter++}`) {
  const { db, cols } = await openDeviceDb(dbName, ['products', 'customers']);
  // pendingIntervalMs: the pending count is recounted at most every 2 s by default; the waits on it below
  // (offline writes counted, then uploaded) would otherwise sit out that throttle each time.
  const engine = startSync({ serverUrl: url, collections: cols, getToken: () => token, retryTime: 200, maxRetryTime: 1000, pendingIntervalMs: 50 });
  const seen: SyncStatus[] = [];
  engine.status$.subscribe((status) => seen.push(status));
  cleanups.push(async () => {
    await engine.stop();
    await db.close();
  });
  return { db, cols, engine, seen, dbName };
}

async function serverCustomer(url: string, token: string, id: string): Promise<Record<string, unknown> | null> {
  const response = await fetch(`${url}/api/sync/customers/pull?limit=10000`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await response.json()) as { documents: Record<string, unknown>[] };
  return body.documents.find((doc) => doc.id === id) ?? null;
}

async function countedPulls(engine: SyncEngine): Promise<void> {
  await engine.awaitInSync();
}

describe.each(DATABASE_KINDS)('sync client against the real server on %s', (kind) => {
  it('POS-01 POS-03 the initial pull brings all 2,000 products and reports progress', async () => {
    const srv = await server(kind);
    const { token } = await login(srv.url);
    const { cols, engine } = await device(srv.url, token);
    await countedPulls(engine);
    expect(await cols.products!.count().exec()).toBe(2000);
    await until(() => engine.status.initialSync.done, 'initial sync done');
    expect(engine.status.initialSync.pulled).toBeGreaterThanOrEqual(2000);
    expect(engine.status.online).toBe(true);
    expect(engine.status.lastSyncAt).not.toBeNull();
  });

  it('POS-02 offline writes are kept, counted and uploaded with no action when the server comes back', async () => {
    const data = await place(kind);
    const first = await server(kind, data);
    const port = Number(new URL(first.url).port);
    const { token } = await login(first.url);
    const { cols, engine, seen } = await device(first.url, token);
    await engine.awaitInSync();

    await first.close();
    await until(() => !engine.status.online, 'offline noticed');
    await cols.customers!.bulkInsert([customer(1), customer(2), customer(3)]);
    await until(() => engine.status.pendingUploads === 3, 'three pending uploads');
    await expect(engine.sendNow()).rejects.toMatchObject({ code: 'network' });

    const second = await server(kind, data, port);
    await until(() => engine.status.online && engine.status.pendingUploads === 0, 'uploaded after reconnect');
    for (const n of [1, 2, 3]) expect(await serverCustomer(second.url, token, `c-test-${n}`)).toMatchObject({ id: `c-test-${n}` });
    expect(seen.some((status) => !status.online)).toBe(true);
  });

  it('POS-02 a retried push batch writes nothing twice', async () => {
    const srv = await server(kind);
    const { token } = await login(srv.url);
    const row = { newDocumentState: { ...customer(7), _deleted: false } };
    const push = () =>
      fetch(`${srv.url}/api/sync/customers/push`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify([row]),
      });
    expect((await push()).ok).toBe(true);
    const pull = async () =>
      ((await (await fetch(`${srv.url}/api/sync/customers/pull?limit=10000`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        checkpoint: { seq: number } | null;
        documents: unknown[];
      });
    const before = await pull();
    const retried = await push();
    expect(await retried.json()).toEqual([]);
    const after = await pull();
    expect(after.documents.length).toBe(before.documents.length);
    expect(after.checkpoint).toEqual(before.checkpoint);
  });

  it('POS-14 sendNow uploads pending writes at once', async () => {
    const srv = await server(kind);
    const { token } = await login(srv.url);
    const { cols, engine } = await device(srv.url, token);
    await engine.awaitInSync();
    await cols.customers!.insert(customer(11));
    await engine.sendNow();
    expect(await serverCustomer(srv.url, token, 'c-test-11')).toMatchObject({ name: 'Cliente 11' });
    expect(engine.status.pendingUploads).toBe(0);
  });

  it('POS-14 a bulk write out of id order (an import), once uploaded, leaves nothing counted as pending', async () => {
    const srv = await server(kind);
    const { token } = await login(srv.url);
    const { cols, engine } = await device(srv.url, token);
    await engine.awaitInSync();
    // One write, ids descending: RxDB's checkpoint names the bulk's last document in write order (the lowest id).
    await cols.customers!.bulkInsert([35, 34, 33, 32, 31].map((n) => customer(n)));
    await engine.sendNow();
    for (const n of [31, 35]) expect(await serverCustomer(srv.url, token, `c-test-${n}`)).toMatchObject({ id: `c-test-${n}` });
    await engine.sendNow();
    expect(engine.status.pendingUploads).toBe(0);
  });

  it('POS-02 more offline writes than one push request holds go out in server-sized requests, none lost or doubled', async () => {
    const srv = await server(kind);
    const { token } = await login(srv.url);
    const pushSizes: number[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      if (String(input).includes('/customers/push') && typeof init?.body === 'string') pushSizes.push((JSON.parse(init.body) as unknown[]).length);
      return fetch(input, init);
    };
    const { db, cols } = await openDeviceDb(`split${Date.now()}${dbCounter++}`, ['customers']);
    await cols.customers!.bulkInsert(Array.from({ length: 6500 }, (_, index) => customer(10_000 + index)));
    const engine = startSync({ serverUrl: srv.url, collections: cols, getToken: () => token, fetch: countingFetch, retryTime: 200 });
    cleanups.push(async () => {
      await engine.stop();
      await db.close();
    });
    await engine.sendNow();
    expect(pushSizes.every((size) => size <= 5000)).toBe(true);
    expect(pushSizes.reduce((sum, size) => sum + size, 0)).toBe(6500);
    const response = await fetch(`${srv.url}/api/sync/customers/pull?limit=10000`, { headers: { authorization: `Bearer ${token}` } });
    const ids = ((await response.json()) as { documents: { id: string }[] }).documents.map((doc) => doc.id).filter((id) => id.startsWith('c-test-'));
    expect(ids.length).toBe(6500);
    expect(new Set(ids).size).toBe(6500);
    expect(engine.status.pendingUploads).toBe(0);
  });

  it('POS-02 resumes from the stored checkpoint after a client restart: it pulls only what changed since, not everything again', async () => {
    const srv = await server(kind);
    const { token } = await login(srv.url);
    /** Each product pull after the restart: the checkpoint it asked from and the ids it got. */
    const pulls: { checkpoint: string | null; ids: string[] }[] = [];
    const countingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = new URL(String(input));
      const streamed = url.pathname.endsWith('/products/pull-stream');
      if (!(streamed || url.pathname.endsWith('/products/pull')) || !response.ok) return response;
      // A streamed pull (NDJSON, one page a line) counts as one pull of all its pages' documents.
      const text = await response.clone().text();
      const pages = (streamed ? text.split('\n').filter((line) => line !== '') : [text]).map((line) => JSON.parse(line) as { documents: { id: string }[] });
      pulls.push({ checkpoint: url.searchParams.get('checkpoint'), ids: pages.flatMap((page) => page.documents.map((doc) => doc.id)) });
      return response;
    };
    const name = `resume${Date.now()}${dbCounter++}`;
    const firstDb = await openDeviceDb(name, ['products', 'customers']);
    const first = startSync({ serverUrl: srv.url, collections: firstDb.cols, getToken: () => token, retryTime: 200 });
    await first.awaitInSync();
    await first.stop();
    await firstDb.db.close();

    // Two products change while the device is closed.
    for (const id of ['p-00005', 'p-01500']) {
      const current = await fetch(`${srv.url}/api/v1/products/${id}`, { headers: { authorization: `Bearer ${token}` } });
      const { _deleted, ...product } = (await current.json()) as Record<string, unknown>;
      const put = await fetch(`${srv.url}/api/v1/products/${id}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...product, name: `Mudou ${id}` }),
      });
      expect(put.ok, id).toBe(true);
    }

    const { db, cols } = await openDeviceDb(name, ['products', 'customers']);
    const engine = startSync({ serverUrl: srv.url, collections: cols, getToken: () => token, fetch: countingFetch, retryTime: 200 });
    cleanups.push(async () => {
      await engine.stop();
      await db.close();
    });
    await engine.awaitInSync();
    // Every pull starts from a stored checkpoint past the first sync, and only the two changes come.
    expect(pulls.length).toBeGreaterThan(0);
    expect(pulls.every((pull) => Number(pull.checkpoint) > 0)).toBe(true);
    expect([...new Set(pulls.flatMap((pull) => pull.ids))].sort()).toEqual(['p-00005', 'p-01500']);
    expect(await cols.products!.count().exec()).toBe(2000);
    expect((await cols.products!.findOne('p-01500').exec())?.get('name')).toBe('Mudou p-01500');
  });

  it('a change made on the server reaches the client through the stream', async () => {
    const srv = await server(kind);
    const { token } = await login(srv.url);
    const { cols, engine } = await device(srv.url, token);
    await engine.awaitInSync();
    const product = (await cols.products!.findOne('p-00001').exec())!.toMutableJSON() as Record<string, unknown>;
    const renamed = { ...product, name: 'Renomeado pelo servidor' };
    const response = await fetch(`${srv.url}/api/v1/products/p-00001`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(renamed),
    });
    expect(response.ok).toBe(true);
    await until(async () => (await cols.products!.findOne('p-00001').exec())?.get('name') === 'Renomeado pelo servidor', 'streamed change');
  });
});
