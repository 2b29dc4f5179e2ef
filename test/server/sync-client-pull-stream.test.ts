import { describe, expect, it } from 'vitest';
import { startSync, type SyncStatus } from '../../sync/client/index.ts';
import type { PullResponse } from '../../sync/schema/index.ts';
import { cleanupAfterEach, login, openDeviceDb, until } from './sync-client-helpers.ts';
import { DATABASE_KINDS, type DatabaseKind } from './support/servers.ts';

const { cleanups, server } = cleanupAfterEach();
const PAGE = 500;
const PRODUCTS = 2000; // the demo store's catalogue

/** One products pull request as the device made it: paged or streamed, the checkpoint it asked from, the ids it received. */
interface Request {
  streamed: boolean;
  checkpoint: number;
  ids: string[];
}

/**
 * The network edge of a device: records products pull requests, and can cut a stream after `cutAfter`
 * pages (`mode` 'error': the connection breaks; 'hang': nothing more ever arrives, as in an app that
 * froze or lost its network without noticing), or answer 404 for the stream route (an older server).
 */
function edge(requests: Request[], behaviour: { cutAfter?: number; mode?: 'error' | 'hang'; noStream?: boolean; once?: boolean }): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input));
    const streamed = url.pathname.endsWith('/products/pull-stream');
    if (streamed && behaviour.noStream) return new Response('{"type":"about:blank","title":"Not Found","status":404}', { status: 404, headers: { 'content-type': 'application/problem+json' } });
    const response = await fetch(input, init);
    if (!(streamed || url.pathname.endsWith('/products/pull')) || !response.ok) return response;
    const request: Request = { streamed, checkpoint: Number(url.searchParams.get('checkpoint') ?? 0), ids: [] };
    requests.push(request);
    if (!streamed) {
      const page = (await response.json()) as PullResponse;
      request.ids.push(...page.documents.map((doc) => String(doc.id)));
      return new Response(JSON.stringify(page), { status: 200, headers: response.headers });
    }
    const lines = (await response.text()).split('\n').filter((line) => line !== '');
    const cut = behaviour.cutAfter !== undefined && lines.length > behaviour.cutAfter;
    const sent = cut ? lines.slice(0, behaviour.cutAfter) : lines;
    for (const line of sent) request.ids.push(...(JSON.parse(line) as PullResponse).documents.map((doc) => String(doc.id)));
    if (cut && behaviour.once) behaviour.cutAfter = undefined;
    const encoder = new TextEncoder();
    let next = 0;
    // Pulled line by line, so the break comes after the device read what came before it (an errored stream drops what it still queues).
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (next < sent.length) controller.enqueue(encoder.encode(`${sent[next++]}\n`));
        else if (!cut) controller.close();
        else if (behaviour.mode === 'error') controller.error(new Error('connection reset'));
        // 'hang': neither closed nor failed; only the device's own stop ends it.
        else init?.signal?.addEventListener('abort', () => controller.error(new Error('aborted')));
      },
    }, { highWaterMark: 0 });
    return new Response(body, { status: 200, headers: response.headers });
  };
}

/** Requests that fetched something (the live stream's RESYNC on connecting also pulls, and finds nothing new). */
const fetching = (requests: readonly Request[]) => requests.filter((request) => request.ids.length > 0);

let counter = 0;
async function device(kind: DatabaseKind, label: string) {
  const srv = await server(kind);
  const { token } = await login(srv.url);
  const name = `stream_${label}_${Date.now()}_${counter++}`;
  const open = async (fetchImpl: typeof fetch) => {
    const { db, cols } = await openDeviceDb(name, ['products']);
    const engine = startSync({ serverUrl: srv.url, collections: cols, getToken: () => token, fetch: fetchImpl, pullBatchSize: PAGE, retryTime: 50, maxRetryTime: 200 });
    const statuses: SyncStatus[] = [];
    const subscription = engine.status$.subscribe((status) => statuses.push(status));
    let closed = false;
    const close = async (): Promise<void> => {
      if (closed) return;
      closed = true;
      subscription.unsubscribe();
      await engine.stop();
      await db.close();
    };
    cleanups.push(close);
    return { cols, engine, statuses, close };
  };
  return { srv, open };
}

describe.each(DATABASE_KINDS)('streamed pull of a fresh station on %s', (kind) => {
  it('POS-03 a fresh station pulls the whole catalogue in one request and knows how much to expect', async () => {
    const { open } = await device(kind, 'one');
    const requests: Request[] = [];
    const station = await open(edge(requests, {}));
    await station.engine.awaitInSync();
    expect(await station.cols.products!.count().exec()).toBe(PRODUCTS);
    // Four full pages and the short one that ends it, all on one request.
    expect(fetching(requests)).toEqual([{ streamed: true, checkpoint: 0, ids: expect.any(Array) }]);
    expect(new Set(requests[0]!.ids).size).toBe(PRODUCTS);
    expect(requests.every((request) => request.streamed)).toBe(true);
    // Progress a screen can show as "x of y": the total was known before the pull was over.
    const midway = station.statuses.find((status) => status.initialSync.pulled > 0 && status.initialSync.pulled < PRODUCTS);
    expect(midway?.initialSync.expected).toBe(PRODUCTS);
    expect(station.engine.status.initialSync).toMatchObject({ done: true, pulled: PRODUCTS });
  });

  it('POS-03 a first sync whose connection breaks midway continues from its last stored page', async () => {
    const { open } = await device(kind, 'cut');
    const requests: Request[] = [];
    const station = await open(edge(requests, { cutAfter: 2, mode: 'error', once: true }));
    await station.engine.awaitInSync();
    expect(await station.cols.products!.count().exec()).toBe(PRODUCTS);
    requests.splice(0, requests.length, ...fetching(requests));
    expect(requests.map((request) => request.streamed)).toEqual([true, true]);
    expect(requests[0]!.ids).toHaveLength(2 * PAGE);
    // The second request starts after the 1,000 stored: nothing is fetched twice.
    expect(requests[1]!.checkpoint).toBeGreaterThan(0);
    expect(requests[1]!.ids).toHaveLength(PRODUCTS - 2 * PAGE);
    expect(requests[1]!.ids.filter((id) => requests[0]!.ids.includes(id))).toEqual([]);
  });

  it('POS-03 a first sync interrupted by closing the app midway continues after the restart, without starting over', async () => {
    const { open } = await device(kind, 'restart');
    const requests: Request[] = [];
    const first = await open(edge(requests, { cutAfter: 2, mode: 'hang' }));
    await until(async () => (await first.cols.products!.count().exec()) === 2 * PAGE, 'two pages stored');
    expect(first.engine.status.initialSync.done).toBe(false);
    await first.close();

    const again: Request[] = [];
    const second = await open(edge(again, {}));
    await second.engine.awaitInSync();
    expect(await second.cols.products!.count().exec()).toBe(PRODUCTS);
    again.splice(0, again.length, ...fetching(again));
    expect(again).toHaveLength(1);
    expect(again[0]!.checkpoint).toBeGreaterThan(0);
    // Only what the first run had not stored (at most the pages after its last written checkpoint).
    expect(again[0]!.ids.length).toBeLessThanOrEqual(PRODUCTS - PAGE);
    expect(again[0]!.ids).toContain('p-02000');
    expect(again[0]!.ids).not.toContain('p-00001');
  });

  it('POS-03 against a server without the stream route the station pulls page by page', async () => {
    const { open } = await device(kind, 'older');
    const requests: Request[] = [];
    const station = await open(edge(requests, { noStream: true }));
    await station.engine.awaitInSync();
    expect(await station.cols.products!.count().exec()).toBe(PRODUCTS);
    expect(requests.every((request) => !request.streamed)).toBe(true);
    // Four full pages, each its own request (and an empty one that says the end was reached).
    expect(fetching(requests).map((request) => request.ids.length)).toEqual([PAGE, PAGE, PAGE, PAGE]);
  });
});
