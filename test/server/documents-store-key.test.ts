import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDocuments } from '../../sync/server/db/documents.ts';
import { DATABASE_KINDS, startTestServer, type TestServer } from './support/servers.ts';

/**
 * Issue 16: migration 1611 dropped the foreign key documents.store_id → stores (a query per inserted
 * row). The store's sequence counter keeps documents to known stores instead: the writer refuses a
 * store without one, and a store with one cannot be deleted.
 */
describe.each(DATABASE_KINDS)('documents of known stores only, on %s', (kind) => {
  let server: TestServer;
  let storeId: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    storeId = (await server.db.query<{ id: string }>("SELECT id FROM stores WHERE code = 'loja1'"))[0]!.id;
  });
  afterAll(async () => {
    await server?.close();
  });

  const product = (id: string) => ({ id, stationId: null, data: { id, sku: id, barcode: '', name: 'Produto', unit: 'UN', priceCents: 100, stock: 0, active: true, groupId: 'loja1-grp-hidraulica' }, deleted: false });

  it('POS-02 a document for a store without a sequence counter is refused, and nothing is written', async () => {
    const write = server.db.transaction((tx) => writeDocuments(tx, 'no-such-store', 'products', [product('orphan-1')]));
    await expect(write).rejects.toThrow(/no-such-store has no sequence counter/);
    const rows = await server.db.query<{ n: string }>("SELECT count(*) AS n FROM documents WHERE store_id = 'no-such-store'");
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('POS-02 a known store still gets its documents, and a store with a counter cannot be deleted under them', async () => {
    const seq = await server.db.transaction((tx) => writeDocuments(tx, storeId, 'products', [product('kept-1')]));
    expect(seq).toBeGreaterThan(0);
    const stored = await server.db.query<{ seq: string }>("SELECT seq FROM documents WHERE store_id = $1 AND collection = 'products' AND id = 'kept-1'", [storeId]);
    expect(Number(stored[0]!.seq)).toBe(seq);
    const deletion = server.db.query('DELETE FROM stores WHERE id = $1', [storeId]);
    await expect(deletion).rejects.toMatchObject({ code: '23503' });
    const documents = await server.db.query<{ n: string }>('SELECT count(*) AS n FROM documents WHERE store_id = $1', [storeId]);
    expect(Number(documents[0]!.n)).toBeGreaterThan(1);
  });
});
