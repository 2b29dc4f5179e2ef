import { cpSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startSync, type SyncEngine } from '../../sync/client/index.ts';
import type { PullResponse } from '../../sync/schema/index.ts';
import { cleanupAfterEach, customer, login, openDeviceDb, until } from './sync-client-helpers.ts';

const { cleanups, server, place } = cleanupAfterEach();

/** A PGlite data folder: the restore-from-backup story copies the server's files, which PGlite keeps in one folder. */
const tempDir = async (): Promise<string> => {
  const at = await place('pglite');
  if (!('dataDir' in at)) throw new Error('a PGlite place has a data folder');
  return at.dataDir;
};

let counter = 0;

/** Every pull the device makes, and what the server answered. */
interface Pull {
  path: string;
  resync: boolean;
}

async function device(url: string, token: string, pulls: Pull[]) {
  const { db, cols } = await openDeviceDb(`epoch_${Date.now()}_${counter++}`, ['products', 'customers']);
  const recording: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const path = new URL(String(input)).pathname + new URL(String(input)).search;
    if (!path.includes('/pull') || !response.ok) return response;
    // A streamed pull (pull-stream) is NDJSON, one page a line: it is one pull, resync when its first page says so.
    const text = await response.text();
    const pages = path.includes('/pull-stream') ? text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as PullResponse) : [JSON.parse(text) as PullResponse];
    pulls.push({ path, resync: pages.some((page) => page.resync === true) });
    return new Response(text, { status: 200, headers: response.headers });
  };
  const engine = startSync({ serverUrl: url, collections: cols, getToken: () => token, fetch: recording, pullBatchSize: 500, retryTime: 100, maxRetryTime: 500 });
  cleanups.push(async () => {
    await engine.stop();
    await db.close();
  });
  return { cols, engine };
}

async function put(url: string, token: string, collection: string, doc: Record<string, unknown>): Promise<void> {
  const { _deleted, ...body } = doc;
  const response = await fetch(`${url}/api/v1/${collection}/${String(doc.id)}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
}

async function productName(cols: Awaited<ReturnType<typeof device>>['cols'], id: string): Promise<unknown> {
  return (await cols.products!.findOne(id).exec())?.get('name');
}

async function settled(engine: SyncEngine): Promise<void> {
  await engine.awaitInSync();
}

/**
 * Issue 14, kind 5: a device holding a checkpoint of a history the server no longer has (it was
 * restored from a backup) is told to pull again from the start, and the real sync client does.
 */
describe('checkpoints carry the server history (RESYNC after a restore)', () => {
  it('POS-02 after a restore the device pulls everything again, also once the restored server has passed its checkpoint', async () => {
    const dataDir = await tempDir();
    const backup = await tempDir();
    let srv = await server('pglite', { dataDir });
    const port = Number(new URL(srv.url).port);
    const { token } = await login(srv.url);
    const pulls: Pull[] = [];
    const { cols, engine } = await device(srv.url, token, pulls);
    await settled(engine);
    const original = await productName(cols, 'p-00001');

    // The nightly backup, taken with the server stopped.
    await srv.close();
    rmSync(backup, { recursive: true, force: true });
    cpSync(dataDir, backup, { recursive: true });
    srv = await server('pglite', { dataDir }, port);

    // The day goes on after the backup: the device follows it (its checkpoint moves past the backup).
    await until(() => engine.status.online, 'reconnected');
    const product = (await cols.products!.findOne('p-00001').exec())!.toMutableJSON() as Record<string, unknown>;
    await put(srv.url, token, 'products', { ...product, name: 'Alterado depois do backup' });
    await put(srv.url, token, 'customers', { ...customer(1), name: 'Cliente depois do backup' });
    await until(async () => (await productName(cols, 'p-00001')) === 'Alterado depois do backup', 'the change after the backup reached the device');
    await until(async () => (await cols.customers!.findOne('c-test-1').exec())?.get('name') === 'Cliente depois do backup', 'the customer reached the device');

    // The disk fails; the backup is restored and the server starts on it.
    expect(pulls.some((pull) => pull.resync)).toBe(false);
    await srv.close();
    rmSync(dataDir, { recursive: true, force: true });
    cpSync(backup, dataDir, { recursive: true });
    srv = await server('pglite', { dataDir }, port);
    // Before the device is back, the restored server writes more than the lost history did: its
    // sequence numbers pass the device's checkpoint, which alone no longer tells the histories apart.
    const writer = await login(srv.url);
    for (let n = 2; n <= 6; n++) await put(srv.url, writer.token, 'products', { ...product, id: `p-0000${n}`, sku: `P00000${n}`, barcode: `78900${n}0000001`, name: `Depois da restauração ${n}` });
    await put(srv.url, writer.token, 'customers', { ...customer(2), name: 'Cliente da história restaurada' });

    await until(async () => (await productName(cols, 'p-00006')) === 'Depois da restauração 6', 'the restored history reached the device');
    await settled(engine);
    // Everything came again from the start: the change the restore lost is undone on the device too.
    expect(await productName(cols, 'p-00001')).toBe(original);
    for (let n = 2; n <= 6; n++) expect(await productName(cols, `p-0000${n}`)).toBe(`Depois da restauração ${n}`);
    expect((await cols.customers!.findOne('c-test-2').exec())?.get('name')).toBe('Cliente da história restaurada');
    // Both kinds of replication obeyed: the pull-only catalogue and RxDB's two-way customers.
    expect(pulls.filter((pull) => pull.resync).map((pull) => pull.path.split('/')[3])).toEqual(expect.arrayContaining(['products', 'customers']));
    // Every checkpoint the device sends back names its epoch.
    expect(pulls.filter((pull) => pull.path.includes('checkpoint=')).every((pull) => pull.path.includes('&epoch='))).toBe(true);
  }, 300_000);

  it('POS-02 a plain restart keeps every checkpoint valid: no device pulls again from the start', async () => {
    const dataDir = await tempDir();
    let srv = await server('pglite', { dataDir });
    const port = Number(new URL(srv.url).port);
    const { token } = await login(srv.url);
    const pulls: Pull[] = [];
    const { cols, engine } = await device(srv.url, token, pulls);
    await settled(engine);
    await srv.close();
    srv = await server('pglite', { dataDir }, port);
    await until(() => engine.status.online, 'reconnected');
    const product = (await cols.products!.findOne('p-00007').exec())!.toMutableJSON() as Record<string, unknown>;
    await put(srv.url, token, 'products', { ...product, name: 'Depois do reinício' });
    await until(async () => (await productName(cols, 'p-00007')) === 'Depois do reinício', 'the change after the restart reached the device');
    await settled(engine);
    expect(pulls.some((pull) => pull.resync)).toBe(false);
    // Only what changed was pulled after the restart, never the catalogue again.
    expect(pulls.filter((pull) => !pull.path.includes('checkpoint=')).map((pull) => pull.path.split('/')[3]).sort()).toEqual(['customers', 'products']);
  }, 120_000);

  it('API-01 a checkpoint past the end of the server history is answered from the start, with resync', async () => {
    const srv = await server('pglite');
    const { token } = await login(srv.url);
    const pull = async (query: string) => (await fetch(`${srv.url}/api/sync/products/pull?limit=5&${query}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json())) as PullResponse;
    const first = await pull('checkpoint=0');
    expect(first.checkpoint).toEqual({ seq: expect.any(Number), epoch: expect.any(String) });
    expect(first.resync).toBeUndefined();
    const next = await pull(`checkpoint=${first.checkpoint!.seq}&epoch=${first.checkpoint!.epoch}`);
    expect(next.resync).toBeUndefined();
    expect(next.documents[0]!.id).not.toBe(first.documents[0]!.id);
    // Older devices send no epoch: their checkpoint is trusted while the server has reached it.
    expect((await pull(`checkpoint=${first.checkpoint!.seq}`)).resync).toBeUndefined();
    for (const query of ['checkpoint=999999', `checkpoint=${first.checkpoint!.seq}&epoch=another-history`]) {
      const answer = await pull(query);
      expect(answer.resync).toBe(true);
      expect(answer.documents.map((doc) => doc.id)).toEqual(first.documents.map((doc) => doc.id));
    }
    const listed = (await fetch(`${srv.url}/api/v1/products?since=999999&limit=5`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json())) as PullResponse;
    expect(listed.resync).toBe(true);
  });
});
