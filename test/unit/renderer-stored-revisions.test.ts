import { describe, expect, it } from 'vitest';
import { CatalogueIndex, type ProductRow } from '../../renderer/data/catalogue-index.ts';
import { StoredRevisions } from '../../renderer/data/stored-revisions.ts';

function product(n: number): ProductRow {
  const id = `p-${String(n).padStart(5, '0')}`;
  return { id, sku: `SKU${n}`, barcode: `789${n}`, name: `Produto ${n}`, unit: 'UN', priceCents: 100 * n, stock: n, active: true, groupId: 'g-1' };
}

describe('stored revisions of the catalogue (issue 16)', () => {
  it('POS-03 keeps RxDB revisions and write times exactly, and forgets what it cannot keep', () => {
    const revisions = new StoredRevisions();
    revisions.set(0, { rev: '1-abcdefghij', lwt: 1_764_000_000_000.25 });
    revisions.set(5_000, { rev: '4294967-abcdefghij', lwt: 1 });
    revisions.set(1, { rev: '3-another token', lwt: 2 });
    expect(revisions.get(0)).toEqual({ rev: '1-abcdefghij', lwt: 1_764_000_000_000.25 });
    expect(revisions.get(5_000)).toEqual({ rev: '4294967-abcdefghij', lwt: 1 });
    expect(revisions.get(1)).toEqual({ rev: '3-another token', lwt: 2 });
    // Not of RxDB's `<height>-<token>` shape, or a height a Uint32 does not hold: unknown (read from disk).
    for (const rev of ['abc', '0-x', '-x', '1-', '99999999999-x']) {
      revisions.set(2, { rev, lwt: 3 });
      expect(revisions.get(2), rev).toBeUndefined();
    }
    revisions.set(0, undefined);
    expect(revisions.get(0)).toBeUndefined();
    expect(revisions.get(123_456)).toBeUndefined();
  });

  it('POS-03 the catalogue keeps each product\'s revision through a snapshot; an older snapshot without them knows none', () => {
    const catalogue = new CatalogueIndex();
    for (let n = 1; n <= 300; n++) catalogue.upsert(product(n), n, n % 3 === 0 ? undefined : { rev: `${n}-tok${n % 2}`, lwt: n * 10 });
    catalogue.upsert({ ...product(7), priceCents: 1 }, 0, { rev: '8-tok1', lwt: 71 });
    catalogue.remove('p-00004');
    const snapshot = catalogue.snapshot();
    const reopened = CatalogueIndex.fromSnapshot(snapshot);
    for (const target of [catalogue, reopened]) {
      expect(target.revisionOf('p-00001')).toEqual({ rev: '1-tok1', lwt: 10 });
      expect(target.revisionOf('p-00003')).toBeUndefined();
      expect(target.revisionOf('p-00004')).toBeUndefined();
      expect(target.revisionOf('p-00007')).toEqual({ rev: '8-tok1', lwt: 71 });
      expect(target.revisionOf('p-00300')).toBeUndefined();
      expect(target.revisionOf('p-00299')).toEqual({ rev: '299-tok1', lwt: 2990 });
      expect(target.locationOf('p-00299')).toBe(299);
    }
    const { revisions: _dropped, ...older } = snapshot;
    const fromOlder = CatalogueIndex.fromSnapshot(older);
    expect(fromOlder.revisionOf('p-00001')).toBeUndefined();
    expect(fromOlder.get('p-00001')?.name).toBe('Produto 1');
  });
});
