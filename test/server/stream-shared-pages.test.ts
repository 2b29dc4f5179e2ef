import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamChange } from '../../sync/schema/index.ts';
import type { Queryable } from '../../sync/server/db/database.ts';
import { SharedPageReads } from '../../sync/server/sync/shared-pages.ts';
import { call, DATABASE_KINDS, login, stationSession, startTestServer, type TestServer } from './support/servers.ts';
import { changeOf, openStream } from './support/stream.ts';

/** readChangesPage's statement (sync/server/db/documents.ts): the reads a live stream makes. */
const isPageRead = (sql: string) => sql.trimStart().startsWith('WITH req AS');

/**
 * Counts the page reads the server makes from now on. The server's routes hold the same database
 * object as `server.db`, and call its `query` by name, so the count sees their reads too.
 */
function countPageReads(server: TestServer): { readonly count: number; stop(): void } {
  const db = server.db as unknown as Queryable;
  const original = db.query;
  let count = 0;
  db.query = function (this: unknown, sql: string, params?: unknown[]) {
    if (isPageRead(sql)) count += 1;
    return original.call(this, sql, params);
  } as Queryable['query'];
  return {
    get count() {
      return count;
    },
    stop: () => {
      db.query = original;
    },
  };
}

describe.each(DATABASE_KINDS)('live streams share their page reads on %s (issue 16)', (kind) => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = (await login(server, 'admin', 'admin123')).token;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('POS-02 a batch of 1,000 products reaches two open stations in full, each from one page read made once for both', async () => {
    const streams = [await openStream(server.url, (await stationSession(server, 'cx01')).token), await openStream(server.url, (await stationSession(server, 'cx02')).token)];
    try {
      for (const stream of streams) await stream.waitFor((e) => e.event === 'resync', 'resync');
      const items = Array.from({ length: 1_000 }, (_v, i) => ({ sku: `SHARED-${i}`, name: `Produto partilhado ${i}`, unit: 'UN', priceCents: 100 + i, groupId: 'loja1-grp-hidraulica', stock: 1 }));
      const reads = countPageReads(server);
      let received: StreamChange[][] = [];
      try {
        const answer = await call(server.url, 'POST', '/api/v1/products/batch', { token: admin, body: { items } });
        expect(answer.status).toBe(200);
        expect(answer.body.summary.created).toBe(1_000);
        // Each stream gets the batch as it stands in the database, whole, in sequence order.
        received = await Promise.all(
          streams.map(async (stream) => {
            await stream.waitFor((e) => changeOf(e)?.documents.some((doc) => (doc as { sku?: string }).sku === 'SHARED-999') ?? false, 'the batch');
            return stream.events.flatMap((e) => (changeOf(e)?.collection === 'products' ? [changeOf(e) as unknown as StreamChange] : []));
          }),
        );
      } finally {
        reads.stop();
      }
      for (const changes of received) {
        const documents = changes.flatMap((change) => change.documents);
        expect(documents.map((doc) => doc.sku)).toEqual(items.map((item) => item.sku));
        expect(documents.map((doc) => doc.priceCents)).toEqual(items.map((item) => item.priceCents));
        expect(changes.at(-1)!.checkpoint.seq).toBeGreaterThan(0);
      }
      expect(received[1]).toEqual(received[0]);
      // One read for both streams, and none after the full page that reached the notice (it read an empty page too before).
      expect(reads.count).toBe(1);
    } finally {
      for (const stream of streams) await stream.close();
    }
  });

  it.each(['the admin', 'the back office'] as const)("POS-16 a station's audit event reaches the admin's open stream and never a back-office user's without a station (%s opened first)", async (first) => {
    const cashier = await stationSession(server, 'cx01');
    const backOffice = (await login(server, 'retaguarda', 'retaguarda123')).token;
    const tokens = first === 'the admin' ? [admin, backOffice] : [backOffice, admin];
    const streams = [];
    for (const token of tokens) streams.push(await openStream(server.url, token));
    const [adminStream, backOfficeStream] = first === 'the admin' ? streams : [streams[1]!, streams[0]!];
    try {
      for (const stream of streams) await stream.waitFor((e) => e.event === 'resync', 'resync');
      const id = `audit-scope-${first === 'the admin' ? 'a' : 'b'}`;
      const event = { id, stationId: cashier.station.stationId, userId: 'loja1-caixa', at: new Date().toISOString(), action: 'login', _deleted: false };
      expect((await call(server.url, 'POST', '/api/sync/auditEvents/push', { token: cashier.token, body: [{ newDocumentState: event }] })).body).toEqual([]);
      const has = (e: Parameters<typeof changeOf>[0]) => changeOf(e)?.documents.some((doc) => doc.id === id) ?? false;
      await adminStream!.waitFor(has, "the admin's copy of the audit event");
      // Both streams were woken by the same notice; give the other one as long again to show what it got.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(backOfficeStream!.events.some(has)).toBe(false);
    } finally {
      for (const stream of streams) await stream.close();
    }
  });

  it('POS-02 a stream that knows of a later change never takes a read started before it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let queries = 0;
    const gated: Queryable = {
      async query(sql, params) {
        queries += 1;
        await gate;
        return server.db.query(sql, params);
      },
    };
    const shared = new SharedPageReads(gated);
    const scope = { storeId: 'loja1', collection: 'products', stationId: null } as const;
    const first = shared.read(scope, 0, 10, 100);
    const same = shared.read(scope, 0, 10, 100);
    const older = shared.read(scope, 0, 10, 50);
    const later = shared.read(scope, 0, 10, 101);
    const otherScope = shared.read({ ...scope, collection: 'customers' }, 0, 10, 100);
    // An admin's scope of a station collection (every station) and a station-less user's (none) are two reads.
    const everyStation = shared.read({ storeId: 'loja1', collection: 'auditEvents', stationId: null }, 0, 10, 100);
    const noStation = shared.read({ storeId: 'loja1', collection: 'auditEvents', stationId: '' }, 0, 10, 100);
    expect(noStation).not.toBe(everyStation);
    expect(same).toBe(first);
    expect(older).toBe(first);
    expect(later).not.toBe(first);
    expect(otherScope).not.toBe(first);
    expect(queries).toBe(5);
    release();
    const pages = await Promise.all([first, later, otherScope, everyStation, noStation]);
    expect(pages[0]!.count).toBe(10);
    expect(pages[1]).toEqual(pages[0]);
    // Nothing is kept once settled: the next read asks the database again.
    expect(shared.size).toBe(0);
    await shared.read(scope, 0, 10, 100);
    expect(queries).toBe(6);
  });
});
