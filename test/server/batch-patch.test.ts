import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, call, DATABASE_KINDS, startTestServer, type TestServer } from './support/servers.ts';
import { compileBodyValidator } from '../../sync/server/validation/validator.ts';
import { documentSchema } from '../../sync/server/validation/schemas.ts';
import { patchKeys } from '../../sync/server/integration/batch-upsert.ts';
import { productItemSchema } from '../../sync/server/integration/schemas.ts';

/**
 * Issue 16's price change: a batch whose every item changes a live product by sku is merged into the
 * stored documents by PostgreSQL (sync/server/integration/batch-upsert.ts patchInSql), without reading
 * them into JavaScript. It must answer and store exactly what the general path would, never store a
 * document its schema refuses, and never lose a change another writer made meanwhile.
 */
const validProduct = compileBodyValidator(documentSchema('products'));

describe.each(DATABASE_KINDS)('price lists merged in SQL on %s', (kind) => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = await adminToken(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  const api = (method: string, path: string, body?: unknown) => call(server.url, method, `/api/v1${path}`, { token: admin, body });
  const product = (sku: string, extra: Record<string, unknown> = {}) => ({ sku, name: `Produto ${sku}`, unit: 'UN', priceCents: 1999, groupId: 'loja1-grp-hidraulica', barcode: '', stock: 10, ...extra });
  /** The stored products of loja1 with these skus, by sku: their document and sequence number. */
  const stored = async (skus: string[]) => {
    const rows = await server.query<{ sku: string; data: Record<string, unknown>; seq: string; deleted: boolean }>(
      "SELECT d.data ->> 'sku' AS sku, d.data, d.seq, d.deleted FROM documents d JOIN stores s ON s.id = d.store_id WHERE s.code = 'loja1' AND d.collection = 'products' AND d.data ->> 'sku' = ANY($1::text[])",
      [skus],
    );
    return new Map(rows.map((row) => [row.sku, { data: row.data, seq: Number(row.seq), deleted: row.deleted }]));
  };
  const load = async (items: unknown[]) => {
    const answer = await api('POST', '/products/batch', { items });
    expect(answer.status, JSON.stringify(answer.body).slice(0, 400)).toBe(200);
    return answer.body as { results: { index: number; id: string | null; status: string; errors?: { pointer: string; message: string }[] }[]; summary: Record<string, number> };
  };

  it('POS-03 API-04 a price list by sku changes only the fields sent, answers per item, and numbers the changes in request order', async () => {
    const skus = ['PL-3', 'PL-1', 'PL-2', 'PL-4'];
    await load(skus.map((sku, n) => product(sku, { priceCents: 1000 + n, barcode: `7890${n}` })));
    const before = await stored(skus);
    const answer = await load([
      { sku: 'PL-2', priceCents: 2222 },
      { sku: 'PL-4', priceCents: 1003 }, // its price already: unchanged, nothing written
      { sku: 'PL-3', priceCents: 3333, name: 'Produto PL-3 novo' },
      { sku: 'PL-1', priceCents: 1111, active: false },
    ]);
    expect(answer.summary).toEqual({ created: 0, updated: 3, unchanged: 1, error: 0 });
    expect(answer.results.map((result) => [result.status, result.id])).toEqual(['PL-2', 'PL-4', 'PL-3', 'PL-1'].map((sku, n) => [n === 1 ? 'unchanged' : 'updated', before.get(sku)!.data.id]));
    const after = await stored(skus);
    expect(after.get('PL-2')!.data).toEqual({ ...before.get('PL-2')!.data, priceCents: 2222 });
    expect(after.get('PL-3')!.data).toEqual({ ...before.get('PL-3')!.data, priceCents: 3333, name: 'Produto PL-3 novo' });
    expect(after.get('PL-1')!.data).toEqual({ ...before.get('PL-1')!.data, priceCents: 1111, active: false });
    expect(after.get('PL-4')).toEqual(before.get('PL-4'));
    // Request order, one after another, past everything stored before.
    const seqs = ['PL-2', 'PL-3', 'PL-1'].map((sku) => after.get(sku)!.seq);
    expect(seqs[0]).toBeGreaterThan(Math.max(...[...before.values()].map((entry) => entry.seq)));
    expect(seqs).toEqual([seqs[0], seqs[0]! + 1, seqs[0]! + 2]);
    for (const entry of after.values()) expect(validProduct(entry.data), JSON.stringify(validProduct.errors)).toBe(true);
    // The change feed and a station see the new prices.
    expect((await api('GET', '/products/sku/PL-3')).body).toMatchObject({ priceCents: 3333, name: 'Produto PL-3 novo', barcode: '78900' });
    // Sent again, it changes nothing.
    const again = await load([{ sku: 'PL-2', priceCents: 2222 }, { sku: 'PL-3', priceCents: 3333 }]);
    expect(again.summary).toEqual({ created: 0, updated: 0, unchanged: 2, error: 0 });
    expect(await stored(skus)).toEqual(after);
  });

  it('POS-03 API-04 a patch that would make the product invalid is that item\'s refusal: no 500, nothing invalid stored, the others written', async () => {
    const skus = ['BAD-1', 'BAD-2', 'BAD-3', 'BAD-4', 'BAD-5', 'BAD-6', 'BAD-7', 'BAD-8'];
    await load(skus.map((sku) => product(sku)));
    const before = await stored(skus);
    const answer = await load([
      { sku: 'BAD-1', name: '' },
      { sku: 'BAD-2', unit: 'XX' },
      { sku: 'BAD-3', priceCents: -1 },
      { sku: 'BAD-4', stock: 2_000_000_000 },
      { sku: 'BAD-5', barcode: '9'.repeat(33) },
      { sku: 'BAD-6', name: null },
      { sku: 'BAD-7', priceCents: 2.5, colour: 'azul' },
      { sku: 'BAD-8', priceCents: 4321 },
    ]);
    expect(answer.results.map((result) => result.status)).toEqual([...Array(7).fill('error'), 'updated']);
    expect(answer.results.slice(0, 7).map((result) => result.errors![0]!.pointer)).toEqual(['/items/0/name', '/items/1/unit', '/items/2/priceCents', '/items/3/stock', '/items/4/barcode', '/items/5/name', expect.stringMatching(/^\/items\/6\/(priceCents|colour)$/)]);
    const after = await stored(skus);
    for (const sku of skus.slice(0, 7)) expect(after.get(sku)).toEqual(before.get(sku));
    expect(after.get('BAD-8')!.data).toEqual({ ...before.get('BAD-8')!.data, priceCents: 4321 });
    for (const entry of after.values()) expect(validProduct(entry.data)).toBe(true);
    // Every item refused: 422 with the per-item errors, nothing written.
    const none = await api('POST', '/products/batch', { items: [{ sku: 'BAD-1', unit: 'XX' }, { sku: 'BAD-2', priceCents: 'caro' }] });
    expect(none.status).toBe(422);
    expect(none.body.error).toMatchObject({ code: 'validation_failed', field: '/items/0/unit' });
    expect(await stored(skus)).toEqual(after);
  });

  it('POS-03 API-04 a stored product whose fields are not its schema\'s is not merged blindly: its patch is refused, the others of the batch written', async () => {
    await load([product('OLD-1'), product('OLD-2'), product('OLD-3')]);
    // As an older version might have left them: one without a required field, one with a field the schema no longer has.
    await server.query("UPDATE documents SET data = data - 'unit' WHERE collection = 'products' AND data ->> 'sku' = 'OLD-1'");
    await server.query("UPDATE documents SET data = data || '{\"colour\": \"azul\"}' WHERE collection = 'products' AND data ->> 'sku' = 'OLD-2'");
    const before = await stored(['OLD-1', 'OLD-2', 'OLD-3']);
    const answer = await load([{ sku: 'OLD-1', priceCents: 111 }, { sku: 'OLD-2', priceCents: 222 }, { sku: 'OLD-3', priceCents: 333 }]);
    expect(answer.results.map((result) => result.status)).toEqual(['error', 'error', 'updated']);
    expect(answer.results[0]!.errors![0]!.pointer).toBe('/items/0/unit');
    expect(answer.results[1]!.errors![0]!.pointer).toBe('/items/1/colour');
    const after = await stored(['OLD-1', 'OLD-2', 'OLD-3']);
    expect(after.get('OLD-1')).toEqual(before.get('OLD-1'));
    expect(after.get('OLD-2')).toEqual(before.get('OLD-2'));
    expect(after.get('OLD-3')!.data.priceCents).toBe(333);
  });

  it('POS-03 API-04 a batch mixing new, changed and deleted products is written in request order, each with its own status', async () => {
    await load([product('MIX-1'), product('MIX-2')]);
    const removed = (await stored(['MIX-2'])).get('MIX-2')!.data.id as string;
    expect((await api('DELETE', `/products/${removed}`)).status).toBe(200);
    const answer = await load([{ sku: 'MIX-1', priceCents: 501 }, product('MIX-3', { priceCents: 503 }), { sku: 'MIX-2', priceCents: 502 }]);
    expect(answer.results.map((result) => result.status)).toEqual(['updated', 'created', 'created']);
    const after = await stored(['MIX-1', 'MIX-2', 'MIX-3']);
    expect(['MIX-1', 'MIX-2', 'MIX-3'].map((sku) => [after.get(sku)!.data.priceCents, after.get(sku)!.deleted])).toEqual([[501, false], [502, false], [503, false]]);
    const seqs = ['MIX-1', 'MIX-3', 'MIX-2'].map((sku) => after.get(sku)!.seq);
    expect(seqs).toEqual([seqs[0], seqs[0]! + 1, seqs[0]! + 2]);
  });

  it('POS-03 API-04 price lists and stock adjustments at the same time: neither loses the other\'s change', async () => {
    const skus = Array.from({ length: 20 }, (_v, n) => `RACE-${n}`);
    await load(skus.map((sku) => product(sku, { stock: 100 })));
    const rounds = 6;
    await Promise.all([
      (async () => {
        for (let round = 1; round <= rounds; round += 1) await load(skus.map((sku) => ({ sku, priceCents: 5000 + round })));
      })(),
      ...skus.slice(0, 5).map(async (sku) => {
        for (let round = 1; round <= rounds; round += 1) {
          const adjusted = await api('POST', '/stock/adjustments', { id: `race-${kind}-${sku}-${round}`, sku, delta: -1, reason: 'Inventário: quebra' });
          expect(adjusted.status, JSON.stringify(adjusted.body)).toBe(201);
        }
      }),
    ]);
    const after = await stored(skus);
    expect(skus.map((sku) => [after.get(sku)!.data.priceCents, after.get(sku)!.data.stock])).toEqual(skus.map((_sku, n) => [5000 + rounds, n < 5 ? 100 - rounds : 100]));
  });
});

describe('which schemas may be merged in SQL', () => {
  it('POS-03 products may (fields independent, the item checks each by the document\'s rule); a schema with a rule across fields or an object field may not', () => {
    expect(patchKeys(productItemSchema, documentSchema('products'))).toMatchObject({ required: expect.arrayContaining(['sku', 'name', 'unit', 'priceCents', 'stock']) });
    const doc = documentSchema('products');
    expect(patchKeys(productItemSchema, { ...doc, if: { properties: { unit: { const: 'KG' } } }, then: { required: ['barcode'] } } as never)).toBeNull();
    expect(patchKeys(productItemSchema, { ...doc, properties: { ...doc.properties, priceCents: { type: 'integer', minimum: 1 } } } as never)).toBeNull();
    expect(patchKeys(productItemSchema, { ...doc, properties: { ...doc.properties, tags: { type: 'array' } } } as never)).toBeNull();
  });
});
