import { describe, expect, it } from 'vitest';
import { startSync } from '../../sync/client/index.ts';
import { cleanupAfterEach, customer, login, openDeviceDb, until } from './sync-client-helpers.ts';
import { DATABASE_KINDS } from './support/servers.ts';

/**
 * Server states that reach the device after its own later write was acknowledged (found by the chaos
 * suite, issue 14): the device must keep what the server acknowledged and end with the server's state.
 */
const { cleanups, server } = cleanupAfterEach();

let dbCounter = 0;

/** A fetch that can hold the next answer to a matching request after the server has read it. */
function gatedFetch() {
  type Gate = { match: (method: string, url: string) => boolean; seen: () => void; released: Promise<void> };
  const gates: Gate[] = [];
  const fetchImpl = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    // No live stream: the device learns server states only from the pulls the test lets through.
    if (url.endsWith('/api/sync/stream')) return new Response(new ReadableStream(), { status: 200, headers: { 'content-type': 'text/event-stream' } });
    const index = gates.findIndex((candidate) => candidate.match(method, url));
    const gate = index === -1 ? undefined : gates.splice(index, 1)[0];
    const response = await fetch(input, init);
    if (gate) {
      // The server has read (and answered); the device gets the answer only when released.
      const body = await response.arrayBuffer();
      gate.seen();
      await gate.released;
      return new Response(body, { status: response.status, headers: response.headers });
    }
    return response;
  };
  const gate = (match: Gate['match']) => {
    let release!: () => void;
    let seen!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const wasSeen = new Promise<void>((resolve) => (seen = resolve));
    gates.push({ match, seen, released });
    return { release, seen: wasSeen };
  };
  return { fetchImpl, gate };
}

async function serverCustomer(url: string, token: string, id: string): Promise<Record<string, unknown> | undefined> {
  const response = await fetch(`${url}/api/sync/customers/pull?limit=10000`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as { documents: Record<string, unknown>[] }).documents.find((doc) => doc.id === id);
}

describe.each(DATABASE_KINDS)('sync client: stale server states (%s)', (kind) => {
  it('POS-02 a pull answer read before the device\'s change committed never replaces the acknowledged change, and the device ends with the server state', async () => {
    const srv = await server(kind);
    const { token } = await login(srv.url);
    const { db, cols } = await openDeviceDb(`stale${Date.now()}${dbCounter++}`, ['customers']);
    const { fetchImpl, gate } = gatedFetch();
    const engine = startSync({ serverUrl: srv.url, collections: cols, getToken: () => token, retryTime: 200, maxRetryTime: 1000, fetch: fetchImpl });
    cleanups.push(async () => {
      await engine.stop();
      await db.close();
    });
    const customers = cols.customers!;
    await engine.awaitInSync();
    // Uploaded and acknowledged; the device has not pulled it back yet (its pull checkpoint is before it).
    await customers.insert({ ...customer(41), name: 'Finalizada' });
    await until(async () => (await serverCustomer(srv.url, token, 'c-test-41'))?.name === 'Finalizada', 'the sale on the server');
    await until(() => engine.status.pendingUploads === 0, 'the first push answered on the device');

    // A pull reads the old state; its answer reaches the device only after the change was pushed and
    // answered (what a slow connection and a busy server produce). RxDB holds stream events back while
    // a push runs, but not an answer already on its way.
    const staleAnswer = gate((method, url) => method === 'GET' && url.includes('/api/sync/customers/pull'));
    const names: unknown[] = [];
    const seen = customers.findOne('c-test-41').$.subscribe((doc) => names.push(doc?.get('name')));
    cleanups.push(async () => seen.unsubscribe());
    const sending = engine.sendNow().catch(() => undefined);
    await staleAnswer.seen;
    await customers.findOne('c-test-41').patch({ name: 'Cancelada' });
    await until(async () => (await serverCustomer(srv.url, token, 'c-test-41'))?.name === 'Cancelada', 'the change on the server');
    // The device has the answer: the change no longer counts as pending.
    await until(() => engine.status.pendingUploads === 0, 'the push answered on the device');
    staleAnswer.release();
    await sending;
    await engine.awaitInSync();

    const at = names.indexOf('Cancelada');
    expect(at).toBeGreaterThanOrEqual(0);
    expect(names.slice(at)).not.toContain('Finalizada');
    expect((await customers.findOne('c-test-41').exec())?.get('name')).toBe('Cancelada');
    expect((await serverCustomer(srv.url, token, 'c-test-41'))?.name).toBe('Cancelada');
  });

  it('POS-02 POS-13 server states stored on the device after its last upload are not counted as pending: the count reaches 0 by itself', async () => {
    const srv = await server(kind);
    const { token } = await login(srv.url);
    const { db, cols } = await openDeviceDb(`pending${Date.now()}${dbCounter++}`, ['customers']);
    const engine = startSync({ serverUrl: srv.url, collections: cols, getToken: () => token, retryTime: 200, maxRetryTime: 1000, pendingIntervalMs: 50 });
    cleanups.push(async () => {
      await engine.stop();
      await db.close();
    });
    const customers = cols.customers!;
    // One upload round of the device's own, answered.
    await customers.insert(customer(51));
    await engine.awaitInSync();
    expect(engine.status.pendingUploads).toBe(0);

    // Another device writes; the states reach this one through the stream, after its last upload round.
    const mine = (await customers.findOne('c-test-51').exec())!.toJSON() as Record<string, unknown>;
    const changed = await fetch(`${srv.url}/api/sync/customers/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ assumedMasterState: { ...mine, _deleted: false }, newDocumentState: { ...mine, name: 'Alterado noutro caixa', _deleted: false } }]),
    });
    expect(await changed.json()).toEqual([]);
    const other = [customer(52), customer(53)];
    const response = await fetch(`${srv.url}/api/sync/customers/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(other.map((doc) => ({ newDocumentState: { ...doc, _deleted: false } }))),
    });
    expect(await response.json()).toEqual([]);
    await until(async () => (await customers.findByIds(['c-test-52', 'c-test-53']).exec()).size === 2, 'the other device\'s customers');
    await until(async () => (await customers.findOne('c-test-51').exec())?.get('name') === 'Alterado noutro caixa', 'the change to its own customer');
    await engine.awaitInSync();
    expect(engine.status.pendingUploads).toBe(0);

    // A local write after them is still counted until uploaded.
    await customers.findOne('c-test-52').patch({ name: 'Local' });
    await engine.awaitInSync();
    expect(engine.status.pendingUploads).toBe(0);
    expect((await serverCustomer(srv.url, token, 'c-test-52'))?.name).toBe('Local');
  });
});
