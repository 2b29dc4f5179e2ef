import type { CartLine } from '../../../../sync/rules/index.ts';
import { conditionsFor } from '../../../../renderer/core/pos/catalog.ts';
import { quoteSale, type PaymentInput, type SaleDraft } from '../../../../renderer/core/pos/sale-draft.ts';
import type { SalesFigures } from '../types.ts';
import type { Station } from './station.ts';
import { seeded, timing } from './timing.ts';

type Payment = Omit<PaymentInput, 'principalCents'>;

/** Cash-free payments of the demo store: PIX, debit, credit in 3x (no interest) and 6x (with interest). */
function paymentChoices(station: Station): Payment[] {
  const catalog = station.pos.catalog();
  const type = (method: string) => {
    const found = catalog.paymentTypes.find((candidate) => candidate.method === method);
    if (!found) throw new Error(`the station has no ${method} payment type`);
    return found.id;
  };
  const credit = type('credit');
  const conditions = conditionsFor(catalog, credit).filter((condition) => (condition.installments ?? 1) > 1);
  if (conditions.length < 2) throw new Error('the station has fewer than two installment conditions for credit');
  return [{ paymentTypeId: type('pix') }, { paymentTypeId: type('card') }, ...conditions.slice(0, 2).map((condition) => ({ paymentTypeId: credit, paymentConditionId: condition.id }))];
}

/**
 * Records `count` sales offline through the POS core, each with a promotion (buy 3 pay 2, R$ 5 off,
 * 10 % off Pintura in turn) and 1–4 other products, paid whole by one of four payments.
 */
export async function recordSales(station: Station, count: number): Promise<SalesFigures> {
  const { pos, index, barcodes, paintIds } = station;
  await station.device.stopSync();
  const catalog = pos.catalog();
  const sellers = catalog.sellers.map((seller) => seller.id);
  const payments = paymentChoices(station);
  const random = seeded(42);
  const randomProduct = () => index.findByCode(barcodes[Math.floor(random() * barcodes.length)]!)!.id;
  const lookup = (id: string) => {
    const row = index.get(id);
    return row ? { ...row, groupId: row.groupId ?? '' } : undefined;
  };

  const samples: number[] = [];
  const soldByProduct: Record<string, number> = {};
  let withPromotion = 0;
  let lines = 0;
  let paidCents = 0;
  for (let i = 0; i < count; i++) {
    const promoted: CartLine = [
      { productId: 'p-00001', quantity: 3 },
      { productId: 'p-00002', quantity: 1 },
      { productId: paintIds[Math.floor(random() * paintIds.length)]!, quantity: 1 + Math.floor(random() * 2) },
    ][i % 3]!;
    const cart: CartLine[] = [promoted];
    const extra = 1 + Math.floor(random() * 4);
    while (cart.length <= extra) {
      const productId = randomProduct();
      if (!cart.some((line) => line.productId === productId)) cart.push({ productId, quantity: 1 + Math.floor(random() * 3) });
    }
    const draft: SaleDraft = { lines: cart, sellerId: sellers[i % sellers.length]!, payments: [] };
    const quote = quoteSale(draft, catalog, lookup, new Date().toISOString());
    if (!quote.ok) throw new Error(`sale ${i + 1} could not be priced: ${quote.error.code}`);
    draft.payments = [{ ...payments[i % payments.length]!, principalCents: quote.value.totals.totalCents }];

    const started = performance.now();
    const recorded = await pos.recordSale(draft);
    samples.push(performance.now() - started);

    const { sale } = recorded;
    if (sale.items.some((item) => item.promotionId)) withPromotion++;
    lines += sale.items.length;
    paidCents += sale.payments.reduce((sum, payment) => sum + payment.amountCents, 0) - sale.changeCents;
    for (const item of sale.items) soldByProduct[item.productId] = (soldByProduct[item.productId] ?? 0) + item.quantity;
  }
  const thousand = Math.min(1000, samples.length);
  return {
    sales: count,
    record: timing(samples),
    firstThousandP95: timing(samples.slice(0, thousand)).p95,
    lastThousandP95: timing(samples.slice(-thousand)).p95,
    withPromotion,
    lines,
    paidCents,
    soldByProduct,
  };
}
