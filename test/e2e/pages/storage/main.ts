/**
 * Drives the app's own database code (renderer/data) in a real Chromium IndexedDB for
 * test/e2e/memory-mapped-storage.test.ts. Each check returns plain data; the test asserts on it.
 */
import fc from 'fast-check';
import type { RxCollection, RxDocumentData } from 'rxdb';
import { balcaoStorage, createDatabase, type BalcaoDatabase } from '../../../../renderer/data/database.ts';
import { chunkOf, type ChunkPolicy } from '../../../../renderer/data/chunk-ledger.ts';
import type { CatalogueSnapshot } from '../../../../renderer/data/catalogue-index.ts';
import { catalogueOf, memoryMappedDatabaseName, type MemoryMappedInternals } from '../../../../renderer/data/memory-mapped-storage.ts';
import { openRecordStore } from '../../../../renderer/data/record-store.ts';
import type { Product } from '../../../../sync/schema/index.ts';

type StoredProduct = RxDocumentData<Product>;

function product(n: number): Product {
  const code = String(n).padStart(5, '0');
  return { id: `p-${code}`, sku: `SKU-${code}`, barcode: `789${code}`, name: `Produto ${code}`, unit: 'UN', priceCents: 100 * n, stock: 10, groupId: 'g-1', active: true };
}

const open = (name: string, chunkPolicy?: ChunkPolicy): Promise<BalcaoDatabase> => createDatabase(name, ['cashier'], chunkPolicy ? balcaoStorage(chunkPolicy) : undefined);
const productsOf = (db: BalcaoDatabase) => db.collections.products as RxCollection<Product>;

async function databases(): Promise<string[]> {
  return (await indexedDB.databases()).map((entry) => entry.name ?? '');
}

async function storedState(name: string) {
  const db = await open(name);
  const products = productsOf(db);
  const all = await products.find({ sort: [{ id: 'asc' }] }).exec();
  const cheap = await products.find({ selector: { priceCents: { $lt: 500 } }, sort: [{ priceCents: 'desc' }], limit: 2 }).exec();
  const tombstones = (await products.storageInstance.findDocumentsById(['p-00003'], true)) as StoredProduct[];
  const state = {
    count: await products.count().exec(),
    ids: all.map((doc) => doc.id),
    nameOf1: all.find((doc) => doc.id === 'p-00001')?.name ?? null,
    cheapest: cheap.map((doc) => doc.id),
    tombstone: tombstones.map((doc) => ({ id: doc.id, deleted: doc._deleted })),
  };
  await db.close();
  return state;
}

/**
 * A database named `${prefix}_<now>` with products 1–3, closed, and its product records opened directly
 * (the storage's own IndexedDB database): the setup of the tests that alter what is on disk, then reopen.
 */
async function threeProductsClosed(prefix: string) {
  const name = `${prefix}_${Date.now()}`;
  const db = await open(name);
  await productsOf(db).bulkInsert([1, 2, 3].map(product));
  await db.close();
  return { name, records: await openRecordStore<StoredProduct>(memoryMappedDatabaseName(name, 'products', 0), 'id') };
}

const checks = {
  /** Inserts, an update and a deletion survive closing and reopening the database. */
  async reopen() {
    const name = `mm_reopen_${Date.now()}`;
    const db = await open(name);
    const products = productsOf(db);
    await products.bulkInsert([1, 2, 3, 4, 5, 6].map(product));
    await (await products.findOne('p-00001').exec())!.incrementalPatch({ name: 'Renomeado' });
    await (await products.findOne('p-00003').exec())!.remove();
    await db.close();
    return { reopened: await storedState(name), databases: (await databases()).filter((entry) => entry.startsWith(name)) };
  },

  /** A write against a stale revision is refused with 409 and changes nothing, in memory or on disk. */
  async conflict() {
    const name = `mm_conflict_${Date.now()}`;
    const db = await open(name);
    const products = productsOf(db);
    await products.insert(product(1));
    const stale = (await products.storageInstance.findDocumentsById(['p-00001'], false))[0] as StoredProduct;
    await (await products.findOne('p-00001').exec())!.incrementalPatch({ name: 'Primeira versão' });
    const result = await products.storageInstance.bulkWrite(
      [{ previous: stale, document: { ...stale, name: 'Versão atrasada', _rev: `${Number(stale._rev.split('-')[0]) + 1}-stale`, _meta: { lwt: Date.now() } } }],
      'e2e-conflict',
    );
    const inMemory = (await products.findOne('p-00001').exec())?.name ?? null;
    await db.close();
    const reopened = await open(name);
    const onDisk = (await productsOf(reopened).findOne('p-00001').exec())?.name ?? null;
    await reopened.close();
    return { errors: result.error.map((error) => ({ id: error.documentId, status: error.status })), inMemory, onDisk };
  },

  /** A batch IndexedDB cannot store is refused whole: none of its documents appears, now or after a reopen. */
  async refusedWrite() {
    const name = `mm_refused_${Date.now()}`;
    const db = await open(name);
    const products = productsOf(db);
    await products.insert(product(1));
    const events: string[] = [];
    const subscription = products.$.subscribe((event) => events.push(event.documentId));
    const now = Date.now();
    const rows = [2, 3].map((n) => ({ document: { ...product(n), _deleted: false, _attachments: {}, _rev: '1-e2e', _meta: { lwt: now } } as StoredProduct }));
    // A function cannot be cloned into IndexedDB: the put throws DataCloneError.
    (rows[1]!.document as unknown as Record<string, unknown>).name = () => 'não clonável';
    let error: string | null = null;
    try {
      await products.storageInstance.bulkWrite(rows, 'e2e-refused');
    } catch (caught) {
      error = (caught as Error).name;
    }
    subscription.unsubscribe();
    const inMemory = (await products.storageInstance.findDocumentsById(['p-00002', 'p-00003'], true)).length;
    await db.close();
    const reopened = await open(name);
    const onDisk = await productsOf(reopened).count().exec();
    await reopened.close();
    return { error, inMemory, onDisk, events };
  },

  /**
   * The compact catalogue follows every write at once (no read of the collection), and a reopen finds
   * it from the snapshot saved at close.
   */
  async catalogueFollowsWrites() {
    const name = `mm_catalogue_${Date.now()}`;
    const db = await open(name);
    const products = productsOf(db);
    await products.bulkInsert([1, 2, 3].map(product));
    const catalogue = catalogueOf(name)!;
    const inserted = catalogue.findByCode('78900002')?.id ?? null;
    await (await products.findOne('p-00002').exec())!.incrementalPatch({ priceCents: 12_345, name: 'Caneta azul' });
    const patched = catalogue.get('p-00002') ?? null;
    const found = catalogue.search('caneta az').map((row) => row.id);
    await (await products.findOne('p-00003').exec())!.remove();
    const removed = catalogue.get('p-00003') ?? null;
    await db.close();
    const reopened = await open(name);
    const again = catalogueOf(name)!;
    const state = { size: again.size, patched: again.get('p-00002') ?? null, found: again.search('caneta').map((row) => row.id), gone: again.get('p-00003') ?? null };
    await reopened.close();
    return { inserted, patched, found, removed, reopened: state };
  },

  /**
   * A crash after a write and before the next snapshot: the write is in the records and the journal
   * (same transaction) but not in the snapshot. The reopened catalogue replays the journal.
   */
  async journalReplay() {
    const { name, records } = await threeProductsClosed('mm_journal');
    // As the storage writes, without the snapshot that would follow: what a crash leaves behind.
    const [first] = (await records.getMany(['p-00001'])) as StoredProduct[];
    const renamed = { ...first!, name: 'Depois do snapshot', _rev: `2-${first!._rev.split('-')[1]}`, _meta: { lwt: Date.now() } };
    const added = { ...product(9), _deleted: false, _attachments: {}, _rev: '1-crash', _meta: { lwt: Date.now() } } as StoredProduct;
    const gone = { ...first!, id: 'p-00002', _deleted: true, _rev: '2-crash', _meta: { lwt: Date.now() } } as StoredProduct;
    await records.write([renamed, added, gone], [], ['p-00001', 'p-00009', 'p-00002']);
    const saved = await records.readSaved();
    records.close();
    const reopened = await open(name);
    const catalogue = catalogueOf(name)!;
    const state = {
      journalEntries: saved.journal.length,
      snapshotSeq: saved.snapshot?.seq ?? null,
      size: catalogue.size,
      nameOf1: catalogue.get('p-00001')?.name ?? null,
      found9: catalogue.search('produto 00009').map((row) => row.id),
      has2: catalogue.get('p-00002') !== undefined,
      count: await productsOf(reopened).count().exec(),
      tombstone: ((await productsOf(reopened).storageInstance.findDocumentsById(['p-00002'], true)) as StoredProduct[]).map((doc) => doc._deleted),
    };
    await reopened.close();
    return state;
  },

  /**
   * A snapshot saved before it kept the id order (format 1, no `built.byId`) still opens whole, and the
   * next snapshot saved has the id order (issue 16).
   */
  async olderSnapshot() {
    const { name, records } = await threeProductsClosed('mm_older');
    type Saved = { catalogue: CatalogueSnapshot; tombstones: string[] };
    const saved = (await records.readSaved<Saved>()).snapshot!;
    const { byId, ...built } = saved.data.catalogue.built;
    await records.writeSnapshot<Saved>({ seq: saved.seq, data: { ...saved.data, catalogue: { ...saved.data.catalogue, format: 1, built } } });
    records.close();
    const reopened = await open(name);
    const catalogue = catalogueOf(name)!;
    const state = {
      savedFormat: saved.data.catalogue.format,
      savedById: byId?.length ?? 0,
      size: catalogue.size,
      second: catalogue.get('p-00002')?.name ?? null,
      found: catalogue.search('produto 00003').map((row) => row.id),
      byBarcode: catalogue.findByCode('78900001')?.id ?? null,
      count: await productsOf(reopened).count().exec(),
    };
    await (await productsOf(reopened).findOne('p-00001').exec())!.incrementalPatch({ name: 'Lápis preto' });
    await reopened.close();
    const after = await openRecordStore<StoredProduct>(memoryMappedDatabaseName(name, 'products', 0), 'id');
    const resaved = (await after.readSaved<Saved>()).snapshot!.data.catalogue;
    after.close();
    const again = await open(name);
    const renamed = catalogueOf(name)!.search('lapis').map((row) => row.id);
    await again.close();
    return { ...state, resavedFormat: resaved.format, resavedById: resaved.built.byId?.length ?? 0, renamed };
  },

  /**
   * A pull page's new products go into one chunk (issue 16); later writes of some of them are put one
   * by one, and every read (by id, queries, counts, the catalogue) sees only each product's current
   * copy, before and after a reopen from the snapshot.
   */
  async chunks() {
    const name = `mm_chunks_${Date.now()}`;
    const db = await open(name);
    const products = productsOf(db);
    await products.bulkInsert(Array.from({ length: 150 }, (_, i) => product(i + 1)));
    await (await products.findOne('p-00001').exec())!.incrementalPatch({ name: 'Renomeado', priceCents: 1 });
    await (await products.findOne('p-00002').exec())!.remove();
    const read = async (target: BalcaoDatabase) => {
      const collection = productsOf(target);
      const all = await collection.find({ sort: [{ id: 'asc' }] }).exec();
      const byId = (await collection.storageInstance.findDocumentsById(['p-00001', 'p-00002', 'p-00150'], true)) as StoredProduct[];
      return {
        count: await collection.count().exec(),
        found: all.length,
        ids: new Set(all.map((doc) => doc.id)).size,
        first: all[0]?.name ?? null,
        cheapest: (await collection.find({ selector: { priceCents: { $lt: 300 } }, sort: [{ priceCents: 'asc' }] }).exec()).map((doc) => `${doc.id}:${doc.priceCents}`),
        byId: byId.map((doc) => `${doc.id}:${doc._deleted ? 'deleted' : doc.name}`).sort(),
        catalogue: catalogueOf(name)!.get('p-00001')?.name ?? null,
      };
    };
    const open1 = await read(db);
    await db.close();
    const records = await openRecordStore<StoredProduct>(memoryMappedDatabaseName(name, 'products', 0), 'id');
    const stored = await records.readEverywhere();
    records.close();
    const reopened = await open(name);
    const open2 = await read(reopened);
    await reopened.close();
    return { open1, open2, inChunks: stored.filter((copy) => copy.at !== 0).length, single: stored.filter((copy) => copy.at === 0).length };
  },

  /**
   * A crash after chunked writes and before the next snapshot, with and without any snapshot: the
   * reopened catalogue replays the journal and reads each product from where its last write put it.
   */
  async chunkReplay() {
    const stamp = (doc: Product, rev: string) => ({ ...doc, _deleted: false, _attachments: {}, _rev: rev, _meta: { lwt: Date.now() } }) as StoredProduct;
    const crash = async (records: Awaited<ReturnType<typeof openRecordStore<StoredProduct>>>) => {
      // As the storage writes: a page in a chunk, then a rename of one of its products put on its own.
      const page = Array.from({ length: 120 }, (_, i) => stamp(product(200 + i), '1-crash'));
      await records.append([], [], page, page.map((doc) => doc.id));
      const renamed = { ...page[0]!, name: 'Depois do crash', _rev: '2-crash' };
      await records.append([renamed], [renamed.id], [], []);
    };
    const state = async (name: string) => {
      const db = await open(name);
      const catalogue = catalogueOf(name)!;
      const collection = productsOf(db);
      const result = {
        size: catalogue.size,
        renamed: catalogue.get('p-00200')?.name ?? null,
        last: catalogue.get('p-00319')?.name ?? null,
        byId: ((await collection.storageInstance.findDocumentsById(['p-00200', 'p-00319'], false)) as StoredProduct[]).map((doc) => doc.name).sort(),
        count: await collection.count().exec(),
        queried: (await collection.find({ selector: { name: 'Depois do crash' } }).exec()).map((doc) => doc.id),
      };
      await db.close();
      return result;
    };
    // After a snapshot: the closed database saved one, the crash left journal entries after it.
    const withSnapshot = `mm_chunk_replay_${Date.now()}`;
    const db = await open(withSnapshot);
    await productsOf(db).bulkInsert([1, 2, 3].map(product));
    await db.close();
    const first = await openRecordStore<StoredProduct>(memoryMappedDatabaseName(withSnapshot, 'products', 0), 'id');
    await crash(first);
    first.close();
    // Without any snapshot: a crash before the first one.
    const withoutSnapshot = `mm_chunk_nosnap_${Date.now()}`;
    const second = await openRecordStore<StoredProduct>(memoryMappedDatabaseName(withoutSnapshot, 'products', 0), 'id');
    await crash(second);
    second.close();
    return { withSnapshot: await state(withSnapshot), withoutSnapshot: await state(withoutSnapshot) };
  },

  /**
   * Pulled pages of updated products go into chunks too (issue 16): a chunk is deleted by the write
   * that supersedes its last current copy, and past the stale bound (tiny here) a chunked write moves
   * the current copies of the emptiest chunk into its own chunk, without telling RxDB of them. Every
   * product's answer equals its current copy on disk, before and after a crash that left the compacting
   * write after the last snapshot, and the reopened storage knows the chunks' sizes (it compacts a chunk
   * written before the reopen).
   */
  async chunkedUpdates() {
    const name = `mm_updates_${Date.now()}`;
    const policy: ChunkPolicy = { staleFloor: 50, staleShare: 0, compactMax: 1_000 };
    const ids = Array.from({ length: 300 }, (_, i) => product(i + 1).id);
    const onDisk = async () => {
      const records = await openRecordStore<StoredProduct>(memoryMappedDatabaseName(name, 'products', 0), 'id');
      const [copies, chunks] = await Promise.all([records.readEverywhere(), records.chunkKeys()]);
      records.close();
      return { copies, chunks };
    };
    /** As sync/client/write-pulled.ts stores a pulled page: each product's stored state as previous, a new price. */
    const pull = async (target: BalcaoDatabase, from: number, to: number, price: number) => {
      const collection = productsOf(target);
      const stored = (await collection.storageInstance.findDocumentsById(ids.slice(from - 1, to), false)) as StoredProduct[];
      let events = 0;
      const subscription = collection.storageInstance.changeStream().subscribe((bulk) => (events += bulk.events.length));
      const result = await collection.storageInstance.bulkWrite(
        stored.map((doc) => ({ previous: doc, document: { ...doc, priceCents: price, _rev: `${Number(doc._rev.split('-')[0]) + 1}-pull`, _meta: { lwt: Date.now() } } })),
        'e2e-pulled-update',
      );
      subscription.unsubscribe();
      return { errors: result.error.length, events };
    };
    const state = async (target: BalcaoDatabase) => {
      const { copies, chunks } = await onDisk();
      const catalogue = catalogueOf(name)!;
      const answers = (await productsOf(target).storageInstance.findDocumentsById(ids, false)) as StoredProduct[];
      const current = ids.map((id) => copies.find((copy) => copy.record.id === id && copy.at === catalogue.locationOf(id))?.record);
      const prices = new Map(answers.map((doc) => [doc.id, doc.priceCents]));
      return {
        chunks: chunks.length,
        copies: copies.length,
        count: await productsOf(target).count().exec(),
        everyAnswerOnDisk: answers.length === ids.length && current.every((doc) => doc !== undefined && prices.get(doc.id) === doc.priceCents),
        prices: [1, 101, 150, 201, 300].map((n) => prices.get(product(n).id) ?? null),
      };
    };
    const db = await open(name, policy);
    await productsOf(db).bulkInsert(ids.map((_id, i) => product(i + 1)));
    const inserted = await state(db);
    // 200 of the 300 updated: their new copies in a second chunk; 200 stale copies in the first.
    const firstPage = await pull(db, 1, 200, 7);
    const afterFirst = await state(db);
    await db.close();
    const second = await open(name, policy);
    // 100 updated again: past the bound, the first chunk (a third current) is compacted into this write's chunk and deleted.
    const secondPage = await pull(second, 1, 100, 8);
    const afterSecond = await state(second);
    // A crash before the next snapshot: closing saves none, so the reopen replays this write's journal entry.
    (productsOf(second).storageInstance.internals as MemoryMappedInternals).records.writeSnapshot = () => Promise.resolve();
    await second.close();
    const records = await openRecordStore<StoredProduct>(memoryMappedDatabaseName(name, 'products', 0), 'id');
    const journalAfterCrash = (await records.readSaved()).journal.length;
    records.close();
    const reopened = await open(name, policy);
    const afterCrash = await state(reopened);
    // The products moved last time: the second chunk (half stale, its size known from the snapshot) is compacted into this write's chunk.
    const thirdPage = await pull(reopened, 201, 300, 9);
    const afterThird = await state(reopened);
    await reopened.close();
    return { inserted, firstPage, afterFirst, secondPage, afterSecond, journalAfterCrash, afterCrash, thirdPage, afterThird };
  },

  /**
   * Random pulled pages (inserts and updates, chunked or put one by one), deletions, reopens and crashes
   * (a close that saves no snapshot) against a model, with a stale bound small enough that chunks are
   * deleted and compacted all along (fast-check, `seed`): after every step each product's answer, live or
   * deleted, is the model's, and at the end every product's current copy on disk is its answer, and no
   * chunk on disk holds nothing current once a write has followed. Returns the first failure, or null.
   */
  async chunkModel(seed: number, runs: number) {
    const policy: ChunkPolicy = { staleFloor: 40, staleShare: 0, compactMax: 150 };
    const pool = Array.from({ length: 257 }, (_, i) => product(i + 1).id);
    type Step = { kind: 'page'; from: number; count: number; stride: number; price: number } | { kind: 'delete'; from: number; count: number; stride: number } | { kind: 'reopen'; crash: boolean };
    // Strides prime to the pool's size scatter a page over earlier chunks, which leaves them partly current.
    const stride = fc.constantFrom(1, 3, 7, 11);
    const step: fc.Arbitrary<Step> = fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('page' as const), from: fc.nat(pool.length - 1), count: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 100, max: 180 })), stride, price: fc.integer({ min: 1, max: 99_999 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), from: fc.nat(pool.length - 1), count: fc.integer({ min: 1, max: 30 }), stride }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen' as const), crash: fc.boolean() }) },
    );
    let failure: string | null = null;
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 14 }), async (steps) => {
        const name = `mm_model_${Date.now()}_${round++}`;
        const model = new Map<string, number | 'deleted'>();
        let db = await open(name, policy);
        const ids = (from: number, count: number, by: number) => Array.from({ length: Math.min(count, pool.length) }, (_, i) => pool[(from + i * by) % pool.length]!);
        const write = async (docs: StoredProduct[], previous: Map<string, StoredProduct>) => {
          const result = await productsOf(db).storageInstance.bulkWrite(docs.map((document) => ({ previous: previous.get(document.id), document })), 'e2e-model');
          if (result.error.length > 0) throw new Error(`write refused: ${JSON.stringify(result.error[0]).slice(0, 200)}`);
        };
        const stored = async (wanted: readonly string[]) => new Map(((await productsOf(db).storageInstance.findDocumentsById([...wanted], true)) as StoredProduct[]).map((doc) => [doc.id, doc]));
        const check = async (when: string) => {
          const answers = await stored(pool);
          for (const id of pool) {
            const expected = model.get(id);
            const doc = answers.get(id);
            const got = doc === undefined ? undefined : doc._deleted ? 'deleted' : doc.priceCents;
            if (got !== expected) throw new Error(`${when}: ${id} is ${String(got)}, the model says ${String(expected)}`);
            if (expected !== undefined && expected !== 'deleted' && catalogueOf(name)?.get(id)?.priceCents !== expected) throw new Error(`${when}: the catalogue's ${id} is not ${expected}`);
          }
        };
        try {
          for (const [n, s] of steps.entries()) {
            if (s.kind === 'page') {
              const chosen = ids(s.from, s.count, s.stride);
              const previous = await stored(chosen);
              const docs = chosen.map((id, i) => {
                const before = previous.get(id);
                const base = before ?? ({ ...product(pool.indexOf(id) + 1), _deleted: false, _attachments: {}, _rev: '0-none', _meta: { lwt: 0 } } as StoredProduct);
                return { ...base, priceCents: s.price + i, _deleted: false, _rev: `${Number(base._rev.split('-')[0]) + 1}-model`, _meta: { lwt: Date.now() } } as StoredProduct;
              });
              await write(docs, previous);
              docs.forEach((doc) => model.set(doc.id, doc.priceCents));
            } else if (s.kind === 'delete') {
              const previous = await stored(ids(s.from, s.count, s.stride));
              const live = [...previous.values()].filter((doc) => !doc._deleted);
              await write(live.map((doc) => ({ ...doc, _deleted: true, _rev: `${Number(doc._rev.split('-')[0]) + 1}-gone`, _meta: { lwt: Date.now() } })), previous);
              live.forEach((doc) => model.set(doc.id, 'deleted'));
            } else {
              if (s.crash) (productsOf(db).storageInstance.internals as MemoryMappedInternals).records.writeSnapshot = () => Promise.resolve();
              await db.close();
              db = await open(name, policy);
            }
            await check(`step ${n + 1} (${s.kind})`);
          }
          // One more write deletes any chunk left with nothing current; then disk and answers agree.
          const last = await stored([pool[0]!]);
          const first = last.get(pool[0]!) ?? ({ ...product(1), _deleted: false, _attachments: {}, _rev: '0-none', _meta: { lwt: 0 } } as StoredProduct);
          await write([{ ...first, priceCents: 7, _deleted: false, _rev: `${Number(first._rev.split('-')[0]) + 1}-last`, _meta: { lwt: Date.now() } }], last);
          model.set(pool[0]!, 7);
          await check('after the last write');
          const catalogue = catalogueOf(name)!;
          const records = await openRecordStore<StoredProduct>(memoryMappedDatabaseName(name, 'products', 0), 'id');
          const [copies, chunkKeys] = await Promise.all([records.readEverywhere(), records.chunkKeys()]);
          records.close();
          const answers = await stored(pool);
          const current = new Set<number>();
          for (const [id, doc] of answers) {
            const at = doc._deleted ? 0 : (catalogue.locationOf(id) ?? 0);
            const copy = copies.find((entry) => entry.record.id === id && entry.at === at);
            if (!copy || copy.record._rev !== doc._rev) throw new Error(`${id}: no copy on disk at ${at} with revision ${doc._rev}`);
            if (at !== 0) current.add(chunkOf(at));
          }
          const idle = chunkKeys.filter((key) => !current.has(key));
          if (idle.length > 0) throw new Error(`chunks ${idle.join(', ')} are on disk with nothing current`);
          return true;
        } catch (error) {
          failure ??= `${String(error)} — steps ${JSON.stringify(steps)}`;
          throw error;
        } finally {
          await db.close();
        }
      }),
      { seed, numRuns: runs, endOnFailure: true },
    ).catch((error: unknown) => (failure ??= String(error)));
    return { failure, runs: round };
  },

  /** A catalogue database of version 2 (records, journal and snapshot, no chunks) opens with its records and then takes chunks. */
  async upgradeFromVersion2() {
    const name = `mm_v2_${Date.now()}`;
    const recordsName = memoryMappedDatabaseName(name, 'products', 0);
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open(recordsName, 2);
      request.onupgradeneeded = () => {
        const old = request.result;
        old.createObjectStore('records', { keyPath: 'id' }).put({ ...product(1), _deleted: false, _attachments: {}, _rev: '1-v2', _meta: { lwt: Date.now() } });
        old.createObjectStore('journal', { autoIncrement: true });
        old.createObjectStore('snapshot');
      };
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    const db = await open(name);
    const before = await productsOf(db).count().exec();
    await productsOf(db).bulkInsert(Array.from({ length: 100 }, (_, i) => product(i + 2)));
    const after = await productsOf(db).count().exec();
    await db.close();
    const reopened = await open(name);
    const again = { count: await productsOf(reopened).count().exec(), first: catalogueOf(name)!.get('p-00001')?.name ?? null, last: catalogueOf(name)!.get('p-00101')?.name ?? null };
    await reopened.close();
    return { before, after, again };
  },

  /**
   * Stored products are answered from memory (catalogue row + kept revision), not read from disk:
   * reads of the chunks and records stores are counted while the storage answers and while a pull-like
   * update of all of them is written; every answer equals the document on disk, before and after a
   * reopen. A document the catalogue does not hold whole (more in `_meta`) is read from disk.
   */
  async answersFromMemory() {
    const name = `mm_memory_${Date.now()}`;
    let diskReads = 0;
    const get = IDBObjectStore.prototype.get;
    IDBObjectStore.prototype.get = function (this: IDBObjectStore, query: IDBValidKey | IDBKeyRange) {
      if (this.name === 'chunks' || this.name === 'records') diskReads++;
      return get.call(this, query);
    };
    try {
      const ids = Array.from({ length: 150 }, (_, i) => product(i + 1).id);
      const onDisk = async () => {
        const records = await openRecordStore<StoredProduct>(memoryMappedDatabaseName(name, 'products', 0), 'id');
        const copies = await records.readEverywhere();
        records.close();
        return copies;
      };
      /** The current copy of each id on disk: the one the storage's catalogue locates (the last written). */
      const currentOnDisk = async (target: BalcaoDatabase) => {
        const catalogue = catalogueOf(target.name)!;
        const copies = await onDisk();
        return ids.map((id) => copies.find((copy) => copy.record.id === id && copy.at === catalogue.locationOf(id))?.record ?? null);
      };
      // Key order aside: documents compared field by field.
      const canonical = (docs: (StoredProduct | null)[]) => JSON.stringify(docs, (_key, value: unknown) => (value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))) : value));
      const answer = async (target: BalcaoDatabase) => {
        const before = diskReads;
        const docs = (await productsOf(target).storageInstance.findDocumentsById(ids, false)) as StoredProduct[];
        return { docs: docs.sort((a, b) => (a.id < b.id ? -1 : 1)), diskReads: diskReads - before };
      };
      const db = await open(name);
      await productsOf(db).bulkInsert(ids.map((_id, i) => product(i + 1)));
      const first = await answer(db);
      const firstEqual = canonical(first.docs) === canonical(await currentOnDisk(db));
      // As sync/client/write-pulled.ts stores a pulled page of changed products: the stored state as previous.
      const before = diskReads;
      const update = await productsOf(db).storageInstance.bulkWrite(
        first.docs.map((doc) => ({ previous: doc, document: { ...doc, priceCents: doc.priceCents + 1, _rev: `${Number(doc._rev.split('-')[0]) + 1}-pull`, _meta: { lwt: Date.now() } } })),
        'e2e-pulled-update',
      );
      const updateDiskReads = diskReads - before;
      const updated = await answer(db);
      const updatedEqual = canonical(updated.docs) === canonical(await currentOnDisk(db));
      // A document with more in _meta than the catalogue keeps: answered, whole, from disk.
      const odd = { ...updated.docs[0]!, name: 'Com meta a mais', _rev: `${Number(updated.docs[0]!._rev.split('-')[0]) + 1}-odd`, _meta: { lwt: Date.now(), extra: 'x' } } as StoredProduct;
      await productsOf(db).storageInstance.bulkWrite([{ previous: updated.docs[0]!, document: odd }], 'e2e-odd-meta');
      const oddAnswer = ((await productsOf(db).storageInstance.findDocumentsById([odd.id], false)) as StoredProduct[])[0];
      await db.close();
      const reopened = await open(name);
      const again = await answer(reopened);
      const againEqual = canonical(again.docs) === canonical(await currentOnDisk(reopened));
      await reopened.close();
      // A snapshot saved before revisions were kept: its products are read from disk once, then answered from memory.
      type Saved = { catalogue: CatalogueSnapshot; tombstones: string[] };
      const records = await openRecordStore<StoredProduct>(memoryMappedDatabaseName(name, 'products', 0), 'id');
      const saved = (await records.readSaved<Saved>()).snapshot!;
      const { revisions: _dropped, ...olderCatalogue } = saved.data.catalogue;
      await records.writeSnapshot<Saved>({ seq: saved.seq, data: { ...saved.data, catalogue: olderCatalogue } });
      records.close();
      const older = await open(name);
      const olderFirst = await answer(older);
      const olderSecond = await answer(older);
      const olderEqual = canonical(olderSecond.docs) === canonical(await currentOnDisk(older));
      await older.close();
      return {
        first: { count: first.docs.length, diskReads: first.diskReads, equal: firstEqual },
        update: { errors: update.error.length, diskReads: updateDiskReads },
        updated: { prices: updated.docs.slice(0, 2).map((doc) => doc.priceCents), diskReads: updated.diskReads, equal: updatedEqual },
        odd: { name: oddAnswer?.name ?? null, meta: oddAnswer?._meta ?? null },
        reopened: { count: again.docs.length, diskReads: again.diskReads, equal: againEqual, name: again.docs[0]?.name ?? null },
        olderSnapshot: { firstDiskReads: olderFirst.diskReads, secondDiskReads: olderSecond.diskReads, count: olderSecond.docs.length, equal: olderEqual },
        ...(await onDisk().then((copies) => ({ chunks: copies.filter((copy) => copy.at !== 0).length, copies: copies.length }))),
      };
    } finally {
      IDBObjectStore.prototype.get = get;
    }
  },

  /** Removing the database deletes the catalogue's own IndexedDB database too. */
  async remove() {
    const name = `mm_remove_${Date.now()}`;
    const db = await open(name);
    await productsOf(db).bulkInsert([1, 2].map(product));
    const catalogue = memoryMappedDatabaseName(name, 'products', 0);
    const before = (await databases()).includes(catalogue);
    await db.remove();
    const after = (await databases()).includes(catalogue);
    return { before, after };
  },
};

export type StorageChecks = typeof checks;
declare global {
  interface Window {
    storageChecks: StorageChecks;
  }
}
window.storageChecks = checks;
document.getElementById('state')!.textContent = 'pronto';
