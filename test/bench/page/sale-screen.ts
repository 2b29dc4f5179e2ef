import type { CatalogueIndex } from '../../../renderer/data/catalogue-index.ts';
import type { Pos } from '../../../renderer/core/pos/pos.ts';
import { quoteSale, type SaleDraft } from '../../../renderer/core/pos/sale-draft.ts';
import type { CartLine } from '../../../sync/rules/index.ts';
import type { SaleScreenLookups, SaleScreenSales, Timing } from '../types.ts';
import { percentile, round } from './stats.ts';

/** What the sale screen asks for while a cashier types (renderer/ui/pos/SaleWorkspace.tsx: 8 suggestions, 3 × 8 asked). */
const SUGGESTION_ROWS = 24;
const TYPED = ['camisa', 'parafuso inox', 'tinta branco', 'chave premium', 'fita 12', 'lampada', 'torneira compacto'];

function timing(samples: readonly number[]): Timing {
  return {
    samples: samples.length,
    p50: round(percentile(samples, 50), 3),
    p95: round(percentile(samples, 95), 3),
    max: round(Math.max(...samples), 3),
  };
}

/** Deterministic pseudo-random numbers (mulberry32): every run looks up and sells the same products. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seeded catalogue's ids (sync/server/seed/catalogue.ts): p-00001 … */
const idOf = (n: number) => `p-${String(n).padStart(5, '0')}`;

/**
 * Scanner lookups (findByCode of a whole barcode) and typing: a barcode typed digit by digit and
 * words typed letter by letter, each keystroke from the second on one search for the screen's suggestions.
 */
export function lookupFigures(catalogue: CatalogueIndex, products: number, samples: number): SaleScreenLookups {
  const random = seeded(7);
  const pick = () => catalogue.get(idOf(1 + Math.floor(random() * products)))!;
  const barcode: number[] = [];
  for (let i = 0; i < samples; i++) {
    const product = pick();
    const started = performance.now();
    const found = catalogue.findByCode(product.barcode);
    barcode.push(performance.now() - started);
    if (found?.id !== product.id) throw new Error(`barcode ${product.barcode} found ${found?.id ?? 'nothing'}, expected ${product.id}`);
  }
  const keystroke: number[] = [];
  const type = (text: string) => {
    // The screen suggests from the second character on (SaleWorkspace's suggestionsFor).
    for (let length = 2; length <= text.length; length++) {
      const started = performance.now();
      catalogue.search(text.slice(0, length), SUGGESTION_ROWS);
      keystroke.push(performance.now() - started);
    }
  };
  for (let i = 0; i < Math.max(10, Math.ceil(samples / 100)); i++) {
    const product = pick();
    type(product.barcode);
    if (catalogue.search(product.barcode, SUGGESTION_ROWS)[0]?.id !== product.id) throw new Error(`typing ${product.barcode} did not put ${product.id} first`);
    type(TYPED[i % TYPED.length]!);
  }
  return { barcode: timing(barcode), keystroke: timing(keystroke) };
}

/** Sales recorded offline through the POS core on the reopened device: 1–4 random products, paid by PIX. */
export async function saleFigures(pos: Pos, catalogue: CatalogueIndex, products: number, count: number): Promise<SaleScreenSales> {
  if (!(await pos.cashOpen())) await pos.recordCash('opening', 0);
  const catalog = pos.catalog();
  const pix = catalog.paymentTypes.find((type) => type.method === 'pix');
  const seller = catalog.sellers[0];
  if (!pix || !seller) throw new Error('the station received no PIX payment type or no seller');
  const random = seeded(42);
  const lookup = (id: string) => {
    const row = catalogue.get(id);
    return row ? { ...row, groupId: row.groupId ?? '' } : undefined;
  };
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const lines: CartLine[] = [];
    const size = 1 + Math.floor(random() * 4);
    while (lines.length < size) {
      const productId = idOf(1 + Math.floor(random() * products));
      if (!lines.some((line) => line.productId === productId)) lines.push({ productId, quantity: 1 + Math.floor(random() * 3) });
    }
    const draft: SaleDraft = { lines, sellerId: seller.id, payments: [] };
    const quote = quoteSale(draft, catalog, lookup, new Date().toISOString());
    if (!quote.ok) throw new Error(`sale ${i + 1} could not be priced: ${quote.error.code}`);
    draft.payments = [{ paymentTypeId: pix.id, principalCents: quote.value.totals.totalCents }];
    const started = performance.now();
    await pos.recordSale(draft);
    samples.push(performance.now() - started);
  }
  return { record: timing(samples) };
}
