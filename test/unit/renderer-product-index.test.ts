import { describe, expect, it } from 'vitest';
import { ProductIndex, normalize, type ProductRow } from '../../renderer/core/product-index.ts';

function product(n: number, name: string): ProductRow {
  const id = `p-${String(n).padStart(5, '0')}`;
  return { id, sku: `SKU${n}`, barcode: `789${String(n).padStart(10, '0')}`, name, unit: 'UN', priceCents: 100 * n, stock: n, active: true };
}

describe('product search index', () => {
  it('matches every word in name, SKU or barcode, ignoring case and accents', () => {
    const index = new ProductIndex();
    index.upsert(product(1, 'Parafuso sextavado 10mm'));
    index.upsert(product(2, 'Pregação rápida'));
    index.upsert(product(3, 'Parafuso Philips 8mm'));
    expect(index.search('parafuso').map((p) => p.id)).toEqual(['p-00003', 'p-00001']);
    expect(index.search('PREGACAO rapida').map((p) => p.id)).toEqual(['p-00002']);
    expect(index.search('parafuso 10mm').map((p) => p.id)).toEqual(['p-00001']);
    expect(index.search('sku2').map((p) => p.id)).toEqual(['p-00002']);
    expect(index.search('nada disso')).toEqual([]);
    expect(index.search('  ').length).toBe(3);
    expect(normalize('  Ação ÚNICA ')).toBe('acao unica');
  });

  it('puts an exact barcode or SKU hit first', () => {
    const index = new ProductIndex();
    for (let n = 1; n <= 30; n++) index.upsert(product(n, `Item ${n}`));
    const barcode = product(3, '').barcode;
    expect(index.search(barcode)[0]!.id).toBe('p-00003');
    // "SKU1" is a substring of SKU10..SKU19 too; the exact one leads.
    const hits = index.search('SKU1');
    expect(hits[0]!.id).toBe('p-00001');
    expect(hits.length).toBe(11);
  });

  it('follows the change stream: upsert replaces, remove deletes, version bumps', () => {
    const index = new ProductIndex();
    index.upsert(product(1, 'Cola branca'));
    const v = index.version;
    index.upsert({ ...product(1, 'Cola instantânea'), priceCents: 999 });
    expect(index.size).toBe(1);
    expect(index.search('cola')[0]).toMatchObject({ name: 'Cola instantânea', priceCents: 999 });
    expect(index.search('branca')).toEqual([]);
    index.remove('p-00001');
    index.remove('missing');
    expect(index.size).toBe(0);
    expect(index.version).toBeGreaterThan(v);
  });

  it('sorts by name in pt-BR order with numbers in numeric order', () => {
    const index = new ProductIndex();
    index.upsert(product(1, 'Item 10'));
    index.upsert(product(2, 'item 9'));
    index.upsert(product(3, 'Árvore'));
    index.upsert(product(4, 'Bola'));
    expect(index.search('').map((p) => p.name)).toEqual(['Árvore', 'Bola', 'item 9', 'Item 10']);
  });

  it('holds 100,000 products and finds the one asked for', () => {
    const index = new ProductIndex();
    for (let n = 1; n <= 100_000; n++) index.upsert(product(n, `Produto ${n} ${n % 7 === 0 ? 'azul' : 'verde'}`));
    expect(index.size).toBe(100_000);
    expect(index.search('').length).toBe(100_000);
    expect(index.search('azul').length).toBe(Math.floor(100_000 / 7));
    expect(index.search(product(54321, '').barcode).map((p) => p.id)).toEqual(['p-54321']);
  });
});

describe('product search index updates', () => {
  it('keeps order and search results right when a price changes in place and when a name changes', () => {
    const index = new ProductIndex();
    index.upsert(product(1, 'Bola'));
    index.upsert(product(2, 'Caneta'));
    expect(index.search('').map((p) => p.name)).toEqual(['Bola', 'Caneta']);
    index.upsert({ ...product(2, 'Caneta'), priceCents: 5, sku: 'NOVO' });
    expect(index.search('novo')).toMatchObject([{ id: 'p-00002', priceCents: 5 }]);
    index.upsert(product(1, 'Dado'));
    expect(index.search('').map((p) => p.name)).toEqual(['Caneta', 'Dado']);
  });
});

describe('product search while typing', () => {
  const catalogue = (index: ProductIndex) => {
    for (let n = 1; n <= 3_000; n++) index.upsert(product(n, `${n % 3 === 0 ? 'Cadeira' : 'Mesa'} ${n % 5 === 0 ? 'pinho' : 'carvalho'} ${n}`));
  };

  it('POS-09 narrowing a growing query finds exactly what a fresh search finds, keystroke by keystroke', () => {
    const typing = new ProductIndex();
    catalogue(typing);
    const query = 'cad pinho 12';
    for (let length = 1; length <= query.length; length++) {
      const fresh = new ProductIndex();
      catalogue(fresh);
      const prefix = query.slice(0, length);
      expect(typing.search(prefix).map((p) => p.id), prefix).toEqual(fresh.search(prefix).map((p) => p.id));
    }
  });

  it('POS-09 a product that arrives between keystrokes is found by the next one; a limit caps rows, not matching', () => {
    const index = new ProductIndex();
    catalogue(index);
    expect(index.search('mesa', 5)).toHaveLength(5);
    expect(index.search('mesa pin')).not.toContainEqual(expect.objectContaining({ id: 'p-09999' }));
    index.upsert(product(9999, 'Mesa pinho nova'));
    expect(index.search('mesa pinh').map((p) => p.id)).toContain('p-09999');
    expect(index.search('mesa pinho', 3)).toHaveLength(3);
    expect(index.search('mesa pinho').length).toBe(index.search('pinho mesa').length);
  });

  it('POS-09 a typed SKU or barcode comes first even when a limit applies', () => {
    const index = new ProductIndex();
    catalogue(index);
    expect(index.search('SKU2999', 1).map((p) => p.id)).toEqual(['p-02999']);
    expect(index.findByCode('SKU1500')?.id).toBe('p-01500');
    index.upsert({ ...product(1500, 'Mesa carvalho 1500'), sku: 'RENOMEADO' });
    expect(index.findByCode('SKU1500')).toBeUndefined();
    expect(index.findByCode('RENOMEADO')?.id).toBe('p-01500');
  });
});

describe('product list cap (issue 16)', () => {
  it('POS-09 a list search returns at most the cap in name order and says when more products match', () => {
    const index = new ProductIndex();
    for (let n = 1; n <= 2_500; n++) index.upsert(product(n, `Produto ${n} ${n % 1_000 === 0 ? 'raro' : 'comum'}`));
    const all = index.search('789');
    expect(all.length).toBe(2_500);
    const capped = index.searchCapped('789', 1_000);
    expect(capped.more).toBe(true);
    expect(capped.rows.map((row) => row.id)).toEqual(all.slice(0, 1_000).map((row) => row.id));
    expect(index.searchCapped('', 1_000)).toMatchObject({ more: true });
    const rare = index.searchCapped('raro', 1_000);
    expect(rare).toMatchObject({ more: false });
    expect(rare.rows.map((row) => row.id)).toEqual(['p-01000', 'p-02000']);
    // Exactly the cap: nothing more to say.
    expect(index.searchCapped('raro', 2)).toMatchObject({ more: false });
    expect(index.searchCapped('raro', 1)).toMatchObject({ more: true });
  });
});
