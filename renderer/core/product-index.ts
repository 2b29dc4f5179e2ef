/**
 * In-memory search index over the local products: built from one full read and kept current by the
 * collection's change stream. A linear scan over precomputed lower-case, accent-free strings stays
 * in single milliseconds on 100,000 products (see test/unit/renderer-product-index.test.ts), which
 * an IndexedDB `$regex` query cannot do. Typing narrows: a query that extends the previous one only
 * re-checks the previous matches, so a scanner typing 13 digits does not scan 13 times 100,000 rows.
 */
import type { Product } from '../../sync/schema/index.ts';

export type ProductRow = Pick<Product, 'id' | 'sku' | 'barcode' | 'name' | 'unit' | 'priceCents' | 'stock' | 'active'> &
  /** Promotions by product group need it at the sale screen. */
  Partial<Pick<Product, 'groupId'>>;

interface Entry {
  row: ProductRow;
  /** name + sku + barcode, normalized, for substring matches. */
  haystack: string;
}

export function normalize(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
}

const collator = new Intl.Collator('pt-BR', { sensitivity: 'base', numeric: true });

export class ProductIndex {
  private readonly byId = new Map<string, Entry>();
  /** A scanner read must resolve without a scan over 100k rows. */
  private readonly byBarcode = new Map<string, string>();
  private readonly bySku = new Map<string, string>();
  private sorted: Entry[] | null = null;
  /** The last search's matches, reusable while the index is unchanged and the query only grows. */
  private lastSearch: { query: string; version: number; matches: Entry[] } | null = null;
  /** Bumps on every change, so a UI can memoize on it. */
  version = 0;

  get size(): number {
    return this.byId.size;
  }

  upsert(doc: ProductRow): void {
    const row: ProductRow = {
      id: doc.id,
      sku: doc.sku,
      barcode: doc.barcode,
      name: doc.name,
      unit: doc.unit,
      priceCents: doc.priceCents,
      stock: doc.stock,
      active: doc.active,
      ...(doc.groupId !== undefined ? { groupId: doc.groupId } : {}),
    };
    const haystack = normalize(`${row.name} ${row.sku} ${row.barcode}`);
    const existing = this.byId.get(row.id);
    if (existing && existing.row.barcode !== row.barcode && this.byBarcode.get(existing.row.barcode) === row.id) this.byBarcode.delete(existing.row.barcode);
    if (existing && existing.row.sku !== row.sku && this.bySku.get(existing.row.sku) === row.id) this.bySku.delete(existing.row.sku);
    if (row.barcode) this.byBarcode.set(row.barcode, row.id);
    if (row.sku) this.bySku.set(row.sku, row.id);
    if (existing && existing.row.name === row.name) {
      // Price and stock changes are the common update: edit in place and keep the sorted order.
      existing.row = row;
      existing.haystack = haystack;
    } else {
      this.byId.set(row.id, { row, haystack });
      this.sorted = null;
    }
    this.version++;
  }

  remove(id: string): void {
    const existing = this.byId.get(id);
    if (existing && this.byBarcode.get(existing.row.barcode) === id) this.byBarcode.delete(existing.row.barcode);
    if (existing && this.bySku.get(existing.row.sku) === id) this.bySku.delete(existing.row.sku);
    if (this.byId.delete(id)) {
      this.sorted = null;
      this.version++;
    }
  }

  clear(): void {
    this.byId.clear();
    this.byBarcode.clear();
    this.bySku.clear();
    this.sorted = null;
    this.version++;
  }

  get(id: string): ProductRow | undefined {
    return this.byId.get(id)?.row;
  }

  /** Exact barcode, then exact SKU (a scanner or a typed code). */
  findByCode(code: string): ProductRow | undefined {
    const text = code.trim();
    if (!text) return undefined;
    const id = this.byBarcode.get(text) ?? this.bySku.get(text);
    return id === undefined ? undefined : this.byId.get(id)?.row;
  }

  private all(): Entry[] {
    this.sorted ??= [...this.byId.values()].sort((a, b) => collator.compare(a.row.name, b.row.name) || (a.row.id < b.row.id ? -1 : 1));
    return this.sorted;
  }

  /**
   * Every word of the query must occur in the product's name, SKU or barcode. A query that is a whole
   * barcode or SKU puts that product first, so a scanner hit is always the top row. `limit` caps the
   * rows returned (suggestions), not the matching, so a longer query can still narrow from here.
   */
  search(query: string, limit = Number.POSITIVE_INFINITY): ProductRow[] {
    const normalized = normalize(query);
    const words = normalized.split(/\s+/).filter(Boolean);
    if (words.length === 0) return this.all().slice(0, limit).map((e) => e.row);
    const matches = this.matching(normalized, words);
    const exact = this.findByCode(query);
    const rows: ProductRow[] = exact && matches.some((entry) => entry.row === exact) ? [exact] : [];
    for (const entry of matches) {
      if (rows.length >= limit) break;
      if (entry.row !== exact) rows.push(entry.row);
    }
    return rows;
  }

  private matching(normalized: string, words: readonly string[]): Entry[] {
    const last = this.lastSearch;
    // Every product matching "abc d" also matched "abc" and "abc ": narrow the previous matches.
    const candidates = last && last.version === this.version && normalized.startsWith(last.query) ? last.matches : this.all();
    const matches = candidates.filter((entry) => words.every((word) => entry.haystack.includes(word)));
    this.lastSearch = { query: normalized, version: this.version, matches };
    return matches;
  }
}
