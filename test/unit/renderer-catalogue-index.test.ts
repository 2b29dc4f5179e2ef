import { describe, expect, it } from 'vitest';
import { CatalogueIndex, normalize, sortKey, words, type ProductRow } from '../../renderer/data/catalogue-index.ts';
import { buildIndex } from '../../renderer/data/catalogue-build.ts';
import type { IndexBuilder } from '../../renderer/data/catalogue-builder.ts';

function product(n: number, name: string, extra: Partial<ProductRow> = {}): ProductRow {
  const id = `p-${String(n).padStart(5, '0')}`;
  return { id, sku: `SKU${n}`, barcode: `789${String(n).padStart(10, '0')}`, name, unit: 'UN', priceCents: 100 * n, stock: n, active: true, groupId: `g-${n % 3}`, ...extra };
}

const NAMES = ['Camisa polo azul', 'Camiseta básica branca', 'Calça jeans', 'Tênis corrida', 'Meia cano alto'];
const QUERIES = ['', 'c', 'cam', 'camisa', 'cami az', 'tenis', 'SKU1', 'sku12', '789', '7890000000012', 'jeans 4', 'nada'];

function filled(count: number): CatalogueIndex {
  const index = new CatalogueIndex();
  for (let n = 1; n <= count; n++) index.upsert(product(n, `${NAMES[n % NAMES.length]} ${n % 40}`, { unit: n % 7 === 0 ? 'KG' : 'UN', active: n % 11 !== 0 }));
  return index;
}

const ids = (rows: ProductRow[]) => rows.map((row) => row.id);

describe('compact catalogue (issue 16)', () => {
  it('POS-09 finds the same products, in the same order, before and after its index is rebuilt and from a snapshot', () => {
    const pending = filled(3_000);
    // Nothing was built yet beyond the first batches: many products wait in the pending set.
    const answers = QUERIES.map((query) => ids(pending.search(query)));
    const limited = QUERIES.map((query) => ids(pending.search(query, 5)));
    const built = filled(3_000);
    built.rebuild();
    expect(built.pendingCount).toBe(0);
    expect(QUERIES.map((query) => ids(built.search(query)))).toEqual(answers);
    expect(QUERIES.map((query) => ids(built.search(query, 5)))).toEqual(limited);
    const restored = CatalogueIndex.fromSnapshot(structuredClone(built.snapshot()));
    expect(restored.size).toBe(3_000);
    expect(QUERIES.map((query) => ids(restored.search(query)))).toEqual(answers);
    // Every field comes back, group and unit included.
    for (const n of [1, 7, 11, 2_999]) expect(restored.get(product(n, '').id)).toEqual(built.get(product(n, '').id));
    expect(restored.get('p-00007')).toMatchObject({ unit: 'KG', groupId: 'g-1' });
    expect(restored.get('p-00011')?.active).toBe(false);
  });

  it('POS-09 a whole barcode or SKU finds its product first, and the barcode lookup finds it exactly', () => {
    const index = filled(2_000);
    index.rebuild();
    expect(index.findByCode('7890000001234')?.id).toBe('p-01234');
    expect(index.findByCode('SKU1234')?.id).toBe('p-01234');
    // SKUs are exact for the lookup (a typed code), prefixes for search.
    expect(index.findByCode('sku1234')).toBeUndefined();
    expect(index.search('SKU12', 3)[0]?.id).toBe('p-00012');
    expect(index.search('7890000001234').map((row) => row.id)).toEqual(['p-01234']);
  });

  it('POS-03 after a snapshot, price changes edit in place; renames, new products and removals are found at once and after a rebuild', () => {
    const index = CatalogueIndex.fromSnapshot(structuredClone(filled(1_000).snapshot()));
    index.upsert({ ...index.get('p-00010')!, priceCents: 1 });
    expect(index.pendingCount).toBe(0);
    expect(index.get('p-00010')?.priceCents).toBe(1);
    index.upsert({ ...index.get('p-00020')!, name: 'Boné aba reta', barcode: '111' });
    index.upsert(product(5_000, 'Boné trucker'));
    index.remove('p-00030');
    const check = () => {
      expect(ids(index.search('bone'))).toEqual(['p-00020', 'p-05000']);
      expect(index.findByCode('111')?.id).toBe('p-00020');
      expect(index.findByCode(product(20, '').barcode)).toBeUndefined();
      expect(index.findByCode(product(30, '').barcode)).toBeUndefined();
      expect(index.get('p-00030')).toBeUndefined();
      expect(ids(index.search('')).includes('p-00030')).toBe(false);
      expect(index.size).toBe(1_000);
    };
    check();
    index.rebuild();
    check();
  });

  it('POS-09 a snapshot finds products by id without a map of ids, and one from before the id order (format 1) still opens the same', () => {
    const source = filled(2_000);
    source.rebuild();
    const answers = QUERIES.map((query) => ids(source.search(query)));
    const current = structuredClone(source.snapshot());
    expect(current.format).toBe(2);
    const old = structuredClone(current);
    old.format = 1;
    delete old.built.byId;
    for (const snapshot of [current, old]) {
      const index = CatalogueIndex.fromSnapshot(structuredClone(snapshot));
      expect(QUERIES.map((query) => ids(index.search(query)))).toEqual(answers);
      for (const n of [1, 2, 777, 1_999, 2_000]) expect(index.get(product(n, '').id)).toEqual(source.get(product(n, '').id));
      expect(index.has('p-99999')).toBe(false);
      expect(index.get('p-0000')).toBeUndefined();
      // A loaded product removed, then added again under the same id: found once, in its new form.
      index.remove('p-00777');
      expect(index.has('p-00777')).toBe(false);
      expect(index.get('p-00777')).toBeUndefined();
      index.upsert(product(777, 'Chapéu panamá'));
      expect(index.get('p-00777')?.name).toBe('Chapéu panamá');
      expect(index.size).toBe(2_000);
      expect(ids(index.search('chapeu'))).toEqual(['p-00777']);
      // Its next snapshot has the id order again, and the same answers.
      const again = CatalogueIndex.fromSnapshot(structuredClone(index.snapshot()));
      expect(again.get('p-00777')?.name).toBe('Chapéu panamá');
      expect(again.get('p-00778')).toEqual(source.get('p-00778'));
      expect(ids(again.search('chapeu'))).toEqual(['p-00777']);
      expect(QUERIES.map((query) => ids(again.search(query)))).toEqual(QUERIES.map((query) => ids(index.search(query))));
    }
    // An old snapshot's catalogue saved again with only a price changed (nothing to rebuild) sorts its ids itself.
    const priced = CatalogueIndex.fromSnapshot(structuredClone(old));
    priced.upsert({ ...priced.get('p-01500')!, priceCents: 7 });
    const resaved = structuredClone(priced.snapshot());
    expect(resaved.built.byId?.length).toBe(2_000);
    const reopened = CatalogueIndex.fromSnapshot(resaved);
    expect(reopened.get('p-01500')?.priceCents).toBe(7);
    for (const n of [1, 999, 2_000]) expect(reopened.get(product(n, '').id)).toEqual(source.get(product(n, '').id));
    expect(QUERIES.map((query) => ids(reopened.search(query)))).toEqual(answers);
  });

  it('orders names like pt-BR with numbers in numeric order, accents and case ignored', () => {
    const names = ['Item 10', 'item 9', 'Árvore', 'Bola', 'bola 2'];
    const sorted = [...names].sort((a, b) => (sortKey(a, '') < sortKey(b, '') ? -1 : 1));
    expect(sorted).toEqual(['Árvore', 'Bola', 'bola 2', 'item 9', 'Item 10']);
  });

  it('POS-09 each search path (name order walked, the rarest word\'s candidates merged, the cheaper of both) returns what a scan of every product returns', () => {
    const rows = Array.from({ length: 1_500 }, (_, i) => product(i + 1, `${NAMES[(i + 1) % NAMES.length]} ${(i + 1) % 40}`));
    // The reference: every product tested, sorted by name (what the index must give without scanning).
    const own = new Map(rows.map((row) => [row.id, [...words(normalize(row.name)), normalize(row.sku), normalize(row.barcode)]]));
    const byName = [...rows].sort((a, b) => (sortKey(a.name, a.id) < sortKey(b.name, b.id) ? -1 : 1));
    const reference = (query: string, limit: number) => {
      const wanted = words(normalize(query));
      return byName
        .filter((row) => wanted.every((word) => own.get(row.id)!.some((candidate) => candidate.startsWith(word))))
        .slice(0, limit)
        .map((row) => row.id);
    };
    // Each way alone, the choice between them by expected cost, and walks that give way to the merge
    // (a code prefix with a word that rarely meets it: '789 meia alto 2').
    const catalogues = [{ path: 'walk' as const }, { path: 'merge' as const }, {}, { walkAboveCodes: 10 }].map((options) => {
      const index = new CatalogueIndex(options);
      for (const row of rows) index.upsert(row);
      index.rebuild();
      return index;
    });
    const queries = ['', 'c', 'ca', 'cam', 'camisa 1', 'ca 3', '7', '789', '78900000001', 'sku1', 'sku 12', 'meia alto 2', 'tenis jeans', 'ba br 3', '789 meia alto 2', '7890 jeans 1', 'sku1 tenis', 'nada'];
    const expected = queries.map((query) => [Number.POSITIVE_INFINITY, 25, 1].map((limit) => reference(query, limit)));
    for (const index of catalogues) {
      queries.forEach((query, q) => {
        [Number.POSITIVE_INFINITY, 25, 1].forEach((limit, l) => expect(ids(index.search(query, limit)), `${query} (${limit})`).toEqual(expected[q]![l]));
      });
      index.dispose();
    }
  });

  it('POS-09 a rebuild runs in the background: searches answer meanwhile, and changes made while it ran stay pending until the next one', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const builder: IndexBuilder = async (input) => {
      await gate;
      return buildIndex(input);
    };
    const index = CatalogueIndex.fromSnapshot(structuredClone(filled(1_000).snapshot()), { builder });
    index.upsert(product(5_000, 'Boné trucker'));
    const first = index.settled();
    expect(index.rebuilding).toBe(true);
    // While the build runs: a rename, a new product and a removal.
    index.upsert({ ...index.get('p-00020')!, name: 'Boné aba reta', barcode: '111' });
    index.upsert(product(5_001, 'Boné novo'));
    index.remove('p-00030');
    const check = () => {
      expect(ids(index.search('bone'))).toEqual(['p-00020', 'p-05001', 'p-05000']);
      expect(index.findByCode('111')?.id).toBe('p-00020');
      expect(index.findByCode(product(5_000, '').barcode)?.id).toBe('p-05000');
      expect(index.findByCode(product(20, '').barcode)).toBeUndefined();
      expect(index.findByCode(product(30, '').barcode)).toBeUndefined();
      expect(ids(index.search('')).includes('p-00030')).toBe(false);
      expect(index.size).toBe(1_001);
    };
    check();
    release();
    await first;
    expect(index.rebuilding).toBe(false);
    // The build read the columns before the rename and the new product: they wait for the next one.
    expect(index.pendingCount).toBe(2);
    check();
    await index.settled();
    expect(index.pendingCount).toBe(0);
    check();
    index.dispose();
  });
});
