/**
 * The product lookup the sale screen uses: barcode / SKU lookups and search while typing, over the
 * compact catalogue of renderer/data/catalogue-index.ts (columns and a word index, not one object per
 * product: issue 16's 1,000,000 SKUs). On a device the catalogue storage keeps that catalogue itself,
 * current with every write, and the core attaches it with `use()`; tests and tools fill their own.
 */
import { CatalogueIndex, type ProductRow } from '../data/catalogue-index.ts';

export { normalize, type ProductRow } from '../data/catalogue-index.ts';

export class ProductIndex {
  private inner = new CatalogueIndex();

  /** Reads and writes go to `catalogue` from now on (the one the products storage keeps current). */
  use(catalogue: CatalogueIndex): void {
    this.inner = catalogue;
  }

  /** Bumps on every change, so a UI can memoize on it. */
  get version(): number {
    return this.inner.version;
  }

  get size(): number {
    return this.inner.size;
  }

  upsert(doc: ProductRow): void {
    this.inner.upsert(doc);
  }

  remove(id: string): void {
    this.inner.remove(id);
  }

  /** Empties the index and detaches it from any attached catalogue. */
  clear(): void {
    this.inner = new CatalogueIndex();
  }

  get(id: string): ProductRow | undefined {
    return this.inner.get(id);
  }

  /** Exact barcode, then exact SKU (a scanner or a typed code). */
  findByCode(code: string): ProductRow | undefined {
    return this.inner.findByCode(code);
  }

  /**
   * Products whose name words, SKU or barcode start with every word of the query, in name order
   * (pt-BR, numbers numerically); a whole barcode or SKU puts its product first. `limit` caps the rows.
   */
  search(query: string, limit = Number.POSITIVE_INFINITY): ProductRow[] {
    return this.inner.search(query, limit);
  }

  /**
   * A list's worth of `search`: at most `cap` rows, and whether more products match (the list then says
   * "more than cap, refine"): nobody reads 200,000 rows, and building them cost most of a keystroke at
   * 1,000,000 products (issue 16).
   */
  searchCapped(query: string, cap: number): { rows: ProductRow[]; more: boolean } {
    const rows = this.inner.search(query, cap + 1);
    return rows.length > cap ? { rows: rows.slice(0, cap), more: true } : { rows, more: false };
  }
}
