import Dexie from 'dexie';
import type { PullResponse } from '../../../sync/schema/index.ts';
import type { DeviceSession, RawDexieFigures } from '../types.ts';
import { round } from './stats.ts';

type Row = Record<string, unknown>;

/** The same documents the device pulled, fetched outside any measurement. */
async function fetchProducts(session: DeviceSession, expected: number): Promise<Row[]> {
  const documents: Row[] = [];
  let checkpoint = 0;
  for (;;) {
    const response = await fetch(`${session.serverUrl}/api/sync/products/pull?checkpoint=${checkpoint}&limit=10000`, {
      headers: { authorization: `Bearer ${session.deviceToken}` },
    });
    if (!response.ok) throw new Error(`fetching products for the raw Dexie run failed: HTTP ${response.status}`);
    const page = (await response.json()) as PullResponse;
    documents.push(...page.documents);
    if (page.documents.length < 10000 || !page.checkpoint) break;
    checkpoint = page.checkpoint.seq;
  }
  if (documents.length !== expected) throw new Error(`server returned ${documents.length} products, expected ${expected}`);
  return documents;
}

/** A fresh IndexedDB with the product schema's own indexes (primary key, barcode, sku), or `indexes` given. */
async function timedPut(name: string, documents: Row[], chunk: number, indexes = 'id, barcode, sku'): Promise<number> {
  const db = new Dexie(name);
  db.version(1).stores({ products: indexes });
  await db.open();
  const table = db.table<Row, string>('products');
  const started = performance.now();
  for (let start = 0; start < documents.length; start += chunk) await table.bulkPut(documents.slice(start, start + chunk));
  const seconds = (performance.now() - started) / 1000;
  const stored = await table.count();
  await db.delete();
  if (stored !== documents.length) throw new Error(`raw Dexie stored ${stored} of ${documents.length} documents`);
  return seconds;
}

/**
 * The same documents in the layout RxDB's Dexie storage gives them (its internal fields, `_deleted`
 * stored as '0', an index per schema index prefixed by `_deleted`, two `_meta.lwt` indexes) and with the
 * read of every key it makes inside each write transaction: what any write through RxDB at least costs.
 */
async function timedRxdbLayoutPut(name: string, documents: Row[], chunk: number): Promise<number> {
  const db = new Dexie(name);
  db.version(1).stores({ docs: 'id, [_deleted+id], [_deleted+barcode+id], [_deleted+sku+id], [_meta.lwt+id], _meta.lwt' });
  await db.open();
  const table = db.table<Row, string>('docs');
  const started = performance.now();
  for (let start = 0; start < documents.length; start += chunk) {
    const lwt = Date.now() + start / 1000;
    const rows = documents.slice(start, start + chunk).map((doc) => ({ ...doc, _deleted: '0', _attachments: {}, _meta: { lwt }, _rev: '1-bench' }));
    await db.transaction('rw', table, async () => {
      await table.bulkGet(rows.map((row) => (row as Row).id as string));
      await table.bulkPut(rows);
    });
  }
  const seconds = (performance.now() - started) / 1000;
  const stored = await table.count();
  await db.delete();
  if (stored !== documents.length) throw new Error(`raw Dexie (RxDB layout) stored ${stored} of ${documents.length} documents`);
  return seconds;
}

/** Phase 2: the ceiling — plain Dexie bulkPut of the same documents in the same browser. */
export async function rawDexie(session: DeviceSession, expected: number, chunk: number): Promise<RawDexieFigures> {
  const documents = await fetchProducts(session, expected);
  const chunked = await timedPut(`bench_raw_chunked_${Date.now()}`, documents, chunk);
  const keyOnly = await timedPut(`bench_raw_key_only_${Date.now()}`, documents, chunk, 'id');
  const single = await timedPut(`bench_raw_single_${Date.now()}`, documents, documents.length);
  const rxdbLayout = await timedRxdbLayoutPut(`bench_raw_rxdb_layout_${Date.now()}`, documents, chunk);
  const rate = (seconds: number) => ({ seconds: round(seconds, 3), docsPerSecond: Math.round(documents.length / seconds) });
  return {
    docs: documents.length,
    chunked: { ...rate(chunked), chunk },
    keyOnly: { ...rate(keyOnly), chunk },
    rxdbLayout: { ...rate(rxdbLayout), chunk },
    single: rate(single),
  };
}
