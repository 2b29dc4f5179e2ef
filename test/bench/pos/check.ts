import type { PosSummary } from '../../../sync/schema/index.ts';
import { adminGet, countUpload, listAll, type Central, type UploadCheck } from '../central.ts';

/** What the server holds after the upload, counted through its REST API and /metrics, never from the page. */
export interface ServerCheck extends UploadCheck {
  summary: { salesCount: number; paidCents: number; quarantinedSales: number };
  /** Products whose server stock is not exactly "before the upload − units sold". */
  stockMismatches: number;
  productsChecked: number;
}

export async function stockOf(central: Central): Promise<Map<string, number>> {
  return new Map((await listAll<{ id: string; stock: number }>(central, 'products')).map((product) => [product.id, Number(product.stock)]));
}

export async function checkSales(central: Central, stockBefore: ReadonlyMap<string, number>, soldByProduct: Readonly<Record<string, number>>): Promise<ServerCheck> {
  const { stationId } = central.session;
  const sales = (await listAll<{ id: string; stationId: string }>(central, 'sales')).filter((sale) => sale.stationId === stationId);
  const stockAfter = await stockOf(central);
  let stockMismatches = 0;
  for (const [id, before] of stockBefore) if (stockAfter.get(id) !== before - (soldByProduct[id] ?? 0)) stockMismatches++;
  const summary = await adminGet<PosSummary>(central, `/api/pos/summary?stationId=${encodeURIComponent(stationId)}`);
  return {
    ...(await countUpload(central, 'sales', sales.map((sale) => sale.id))),
    summary: { salesCount: summary.salesCount, paidCents: summary.paidCents, quarantinedSales: summary.waiting.quarantinedSales },
    stockMismatches,
    productsChecked: stockBefore.size,
  };
}
