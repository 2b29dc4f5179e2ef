import { describe, expect, it } from 'vitest';
import { startSync } from '../../sync/client/index.ts';
import { StaleGuard, type StreamItem } from '../../sync/client/stale-guard.ts';
import type { Checkpoint, PullResponse } from '../../sync/schema/index.ts';
import { cleanupAfterEach, customer, login, openDeviceDb, until } from './sync-client-helpers.ts';
import { DATABASE_KINDS } from './support/servers.ts';

/**
 * The order of server states is explicit (issue 14): the push answer says where the batch sits in the
 * store's history (`balcao-seq`), and a server state from a page whose checkpoint is below an
 * acknowledged write of the same document is older than it and never stored over it. These tests
 * drive the live stream by hand, so events reach the device in the orders a real network produces
 * (a stream RESYNC sent before a write but received after its answer; a server restart's new epoch).
 */
const { cleanups, server } = cleanupAfterEach();

let dbCounter = 0;

/** A fetch whose live stream is written by the test; every other request goes to the real server. */
function scriptedStream() {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  let connected!: () => void;
  const opened = new Promise<void>((resolve) => (connected = resolve));
  const fetchImpl = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    if (String(input).endsWith('/api/sync/stream')) {
      connected();
      return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    }
    return fetch(input, init);
  };
  const send = (event: string, data: unknown) => controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
  return { fetchImpl, send, opened, close: () => controller.close() };
}

async function pullPage(url: string, token: string, from: Checkpoint | null, limit = 10_000): Promise<PullResponse> {
  const query = from ? `&checkpoint=${from.seq}${from.epoch ? `&epoch=${from.epoch}` : ''}` : '';
  const response = await fetch(`${url}/api/sync/customers/pull?limit=${limit}${query}`, { headers: { authorization: `Bearer ${token}` } });
  return (await response.json()) as PullResponse;
}

async function push(url: string, token: string, rows: unknown[]): Promise<{ conflicts: unknown[]; position: number }> {
  const response = await fetch(`${url}/api/sync/customers/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(rows),
  });
  expect(response.status).toBe(200);
  return { conflicts: (await response.json()) as unknown[], position: Number(response.headers.get('balcao-seq')) };
}

/** How the device is told, after its cancellation was acknowledged, that it must pull (what the old guard took as "all echoed"). */
const TRIGGERS = [
  ['a stream RESYNC sent before the write committed but received after its answer', (send: (event: string, data: unknown) => void) => send('resync', 'RESYNC')],
  [
    'a live change of a new epoch (the server restarted)',
    (send: (event: string, data: unknown) => void) => send('change', { collection: 'customers', documents: [], checkpoint: { seq: 1, epoch: 'restarted' } }),
  ],
] as const;

describe.each(DATABASE_KINDS)('sync client: server states in explicit order (%s)', (kind) => {
  it.each(TRIGGERS)(
    'POS-02 POS-10 POS-14 a stale state delivered after %s never replaces an acknowledged cancellation, even when a later page moves the checkpoint past it',
    async (_what, trigger) => {
      const srv = await server(kind);
      const { token } = await login(srv.url);
      const { db, cols } = await openDeviceDb(`order${Date.now()}${dbCounter++}`, ['customers']);
      const stream = scriptedStream();
      const engine = startSync({ serverUrl: srv.url, collections: cols, getToken: () => token, retryTime: 200, maxRetryTime: 1000, fetch: stream.fetchImpl });
      cleanups.push(async () => {
        stream.close();
        await engine.stop();
        await db.close();
      });
      const customers = cols.customers!;
      await stream.opened;
      stream.send('resync', 'RESYNC');
      await engine.awaitInSync();

      // The device records X; uploaded and acknowledged.
      await customers.insert({ ...customer(71), name: 'Finalizada' });
      await engine.awaitInSync();
      // What a stream read before the cancellation committed would carry: X finished, checkpoint below the cancellation.
      const before = await pullPage(srv.url, token, null);
      const stale = { collection: 'customers', documents: before.documents.filter((doc) => doc.id === 'c-test-71'), checkpoint: before.checkpoint! };
      expect(stale.documents).toHaveLength(1);

      // The device cancels X; uploaded and acknowledged.
      await customers.findOne('c-test-71').patch({ name: 'Cancelada' });
      await engine.awaitInSync();
      const cancelled = await pullPage(srv.url, token, before.checkpoint, 1);
      expect(cancelled.documents.map((doc) => doc.name)).toEqual(['Cancelada']);
      // Another station writes Y after it: a later page that does not hold X.
      const later = await push(srv.url, token, [{ newDocumentState: { ...customer(72), _deleted: false } }]);
      expect(later.position).toBeGreaterThan(cancelled.checkpoint!.seq);
      const after = await pullPage(srv.url, token, cancelled.checkpoint);
      expect(after.documents.map((doc) => doc.id)).toEqual(['c-test-72']);

      // The device is told to pull; it does, and gets Y.
      trigger(stream.send);
      await until(async () => (await customers.findOne('c-test-72').exec()) !== null, "the other station's customer");
      await engine.awaitInSync();

      const names: unknown[] = [];
      const seen = customers.findOne('c-test-71').$.subscribe((doc) => names.push(doc?.get('name')));
      cleanups.push(async () => seen.unsubscribe());
      // The stale read arrives, then the later page (its checkpoint past the cancellation).
      stream.send('change', stale);
      stream.send('change', { collection: 'customers', documents: after.documents, checkpoint: after.checkpoint });
      // Y changed on the server by a third write: when the device has it, everything sent before was processed.
      const y = after.documents[0]!;
      const last = await push(srv.url, token, [{ assumedMasterState: y, newDocumentState: { ...y, name: 'Marcador' } }]);
      expect(last.conflicts).toEqual([]);
      const marker = await pullPage(srv.url, token, after.checkpoint);
      stream.send('change', { collection: 'customers', documents: marker.documents, checkpoint: marker.checkpoint });
      await until(async () => (await customers.findOne('c-test-72').exec())?.get('name') === 'Marcador', 'the marker write');
      await engine.awaitInSync();

      // "Send now" pulls from the device's checkpoint: the device must hold the cancellation, never the stale state.
      await engine.sendNow();
      await engine.awaitInSync();
      expect((await customers.findOne('c-test-71').exec())?.get('name')).toBe('Cancelada');
      expect(names).not.toContain('Finalizada');
      expect((await pullPage(srv.url, token, null)).documents.find((doc) => doc.id === 'c-test-71')?.name).toBe('Cancelada');
    },
    60_000,
  );

  it('POS-02 the push answer says where the batch sits: every row it acknowledged at or below, every later change above', async () => {
    const srv = await server(kind);
    const { token } = await login(srv.url);
    const first = await push(srv.url, token, [customer(81), customer(82)].map((doc) => ({ newDocumentState: { ...doc, _deleted: false } })));
    const stored = await pullPage(srv.url, token, null);
    const seqOf = async (id: string) => {
      // The checkpoint of a one-document page that ends at the document is its sequence number.
      let from: Checkpoint | null = null;
      for (;;) {
        const page = await pullPage(srv.url, token, from, 1);
        if (page.documents.length === 0) throw new Error(`${id} not found`);
        if (page.documents[0]!.id === id) return page.checkpoint!.seq;
        from = page.checkpoint;
      }
    };
    const seq81 = await seqOf('c-test-81');
    const seq82 = await seqOf('c-test-82');
    expect(Number.isSafeInteger(first.position)).toBe(true);
    expect(first.position).toBeGreaterThanOrEqual(Math.max(seq81, seq82));
    expect(first.position).toBe(stored.checkpoint!.seq);

    // A retried batch writes nothing; its answer still places the rows (at or below the store's position).
    const doc81 = stored.documents.find((doc) => doc.id === 'c-test-81')!;
    const again = await push(srv.url, token, [{ assumedMasterState: null, newDocumentState: doc81 }]);
    expect(again.conflicts).toEqual([]);
    expect(again.position).toBeGreaterThanOrEqual(seq81);

    // A later change of an acknowledged row lands above the position its answer gave.
    const changed = await push(srv.url, token, [{ assumedMasterState: doc81, newDocumentState: { ...doc81, name: 'Outro' } }]);
    expect(await seqOf('c-test-81')).toBeGreaterThan(again.position);
    expect(changed.position).toBe(await seqOf('c-test-81'));

    // Documented in the API document, as an optional header older clients ignore.
    const doc = (await (await fetch(`${srv.url}/docs/json`)).json()) as { paths: Record<string, { post: { responses: Record<string, { headers?: Record<string, { schema?: { type?: string } }> }> } }> };
    expect(doc.paths['/api/sync/customers/push']?.post.responses['200']?.headers?.['balcao-seq']?.schema?.type).toBe('integer');
  });
});

describe('sync client: the stale guard decides by sequence numbers', () => {
  const sent = { id: 'x', name: 'Cancelada', _deleted: false };
  const older = { id: 'x', name: 'Finalizada', _deleted: false };
  const acknowledged = (guard: StaleGuard) => {
    guard.pushStarted([sent]);
    guard.pushEnded([sent], [], new Map([['x', 100]]));
  };

  it('POS-02 a pull sent before the answer is read again when its page ends below the write, taken when it reaches it', () => {
    const guard = new StaleGuard('id', () => undefined);
    const before = guard.pullStarted();
    acknowledged(guard);
    expect(guard.pullIsStale([older], { seq: 99 }, before)).toBe(true);
    expect(guard.pullIsStale([sent], { seq: 99 }, before)).toBe(false);
    // A page at or past the write was read after it: a different state there is newer (another writer).
    expect(guard.pullIsStale([{ ...sent, name: 'Alterado' }], { seq: 100 }, before)).toBe(false);
    guard.pullEnded();
  });

  it('POS-02 a pull sent after the answer takes the server state even below the write (a quarantined or merged document), so reading again cannot loop', () => {
    const guard = new StaleGuard('id', () => undefined);
    acknowledged(guard);
    const after = guard.pullStarted();
    expect(guard.pullIsStale([older], { seq: 40 }, after)).toBe(false);
    guard.pullEnded();
  });

  it('POS-02 a live change below the write becomes a RESYNC whatever arrived before it; one at or past it is handed on', () => {
    const emitted: StreamItem[] = [];
    const guard = new StaleGuard('id', (item) => emitted.push(item));
    acknowledged(guard);
    // A stream RESYNC (or a new epoch) after the answer no longer vouches for what follows.
    guard.stream('RESYNC');
    guard.stream({ documents: [older], checkpoint: { seq: 99 } });
    expect(emitted).toEqual(['RESYNC', 'RESYNC']);
    const newer = { documents: [{ ...sent, name: 'Alterado' }], checkpoint: { seq: 130 } };
    guard.stream(newer);
    expect(emitted.at(-1)).toEqual(newer);
    // Once the stream passed the write, the entry is gone: nothing is remembered for ever.
    guard.stream({ documents: [older], checkpoint: { seq: 99 } });
    expect(emitted.at(-1)).not.toBe('RESYNC');
  });

  it('POS-02 a live change that arrives while RxDB prepares a push is judged after that push is answered', () => {
    const emitted: StreamItem[] = [];
    const guard = new StaleGuard('id', (item) => emitted.push(item));
    // RxDB's upstream picked up the cancellation; the push request is not out yet.
    guard.upstreamActive(true);
    guard.stream({ documents: [older], checkpoint: { seq: 99 } });
    expect(emitted).toEqual([]);
    acknowledged(guard);
    expect(emitted).toEqual([]);
    guard.upstreamActive(false);
    expect(emitted).toEqual(['RESYNC']);
  });

  it('POS-02 without a sequence number (an older server) the guard still refuses a state read before the answer', () => {
    const guard = new StaleGuard('id', () => undefined);
    const before = guard.pullStarted();
    guard.pushStarted([sent]);
    guard.pushEnded([sent], []);
    expect(guard.pullIsStale([older], { seq: 500 }, before)).toBe(true);
    guard.pullEnded();
  });
});
