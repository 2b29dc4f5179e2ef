import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonbParameter } from '../../sync/server/db/database.ts';
import { writeDocuments } from '../../sync/server/db/documents.ts';
import { DATABASE_KINDS, startTestServer, type TestServer } from './support/servers.ts';

/**
 * Issue 16: a batch's JSON goes to the database in jsonb's binary format (jsonbParameter), not as text.
 * Both drivers must send it as bytes and the database must read the same value text would give, every
 * character included; PGlite's own jsonb serializer still takes strings and values.
 */
describe.each(DATABASE_KINDS)('jsonb parameters in binary, on %s', (kind) => {
  /** The demo store's id (its code is loja1). */
  const storeId = 'loja1';
  let server: TestServer;
  beforeAll(async () => (server = await startTestServer(kind)));
  afterAll(() => server?.close());

  // Accents, a character outside the BMP (4 UTF-8 bytes, a surrogate pair in JavaScript), quotes, escapes and a NUL-free control character.
  const odd = { name: 'Ação "ímpar" 🧾 \\ fim\t.', cents: 9_007_199_254_740_991, nested: [{ a: null }, true, -0.5] };

  it('POS-02 a value sent in binary reads back equal, every character included', async () => {
    const [row] = await server.db.query<{ value: unknown; text: string }>('SELECT $1::jsonb AS value, ($1::jsonb ->> \'name\') AS text', [jsonbParameter(odd)]);
    expect(row!.value).toEqual(odd);
    expect(row!.text).toBe(odd.name);
  });

  it('POS-02 strings and values still go to a jsonb parameter as before', async () => {
    const [row] = await server.db.query<{ fromText: unknown; fromValue: unknown }>('SELECT $1::jsonb AS "fromText", $2::jsonb AS "fromValue"', [JSON.stringify(odd), odd]);
    expect(row!.fromText).toEqual(odd);
    expect(row!.fromValue).toEqual(odd);
  });

  it('POS-02 a batch written through it stores each document as sent', async () => {
    const product = (n: number) => ({ id: `bin-${n}`, stationId: null, data: { id: `bin-${n}`, sku: `BIN-${n}`, barcode: '', name: `${odd.name} ${n}`, unit: 'UN', priceCents: 100 + n, stock: 0, active: true, groupId: 'loja1-grp-hidraulica' }, deleted: false });
    await server.db.transaction((tx) => writeDocuments(tx, storeId, 'products', [1, 2, 3].map(product)));
    const stored = await server.db.query<{ id: string; data: Record<string, unknown> }>("SELECT id, data FROM documents WHERE store_id = $1 AND collection = 'products' AND id LIKE 'bin-%' ORDER BY id", [storeId]);
    expect(stored.map((row) => row.data)).toEqual([1, 2, 3].map((n) => product(n).data));
  });
});
