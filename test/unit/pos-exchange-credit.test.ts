/**
 * The station's exchanges of a weighed product over several exchanges of one sale (POS-11, POS-21):
 * what the exchange screen shows and what recordExchange records stay within what was paid.
 */
import { afterEach, expect, it } from 'vitest';
import type { Product } from '../../sync/schema/index.ts';
import { creditOf, returnedItemOf } from '../../renderer/core/pos/sale-draft.ts';
import { ids, posFixture, type PosFixture } from './pos-fixtures.ts';

let fixture: PosFixture | null = null;
afterEach(async () => {
  fixture?.pos.dispose();
  await fixture?.db.close();
  fixture = null;
});

/** R$ 396,66/kg: 3 g cost 118.998 → 119 cents, and one gram alone comes back as 39.666 → 40 cents. */
const saffron: Product = { id: 'p-00009', sku: 'SKU9', barcode: '7890000000090', name: 'Açafrão', unit: 'KG', priceCents: 39_666, stock: 5000, groupId: 'grp-temperos', active: true };

it('POS-11 POS-21 a station returning a weighed product 1 g at a time over three exchanges credits 40 + 40 + 39 for the 119 cents paid, as its exchange screen shows', async () => {
  const f = (fixture = await posFixture());
  await f.db.collections.products!.insert(saffron);
  f.index.upsert(saffron);
  const original = await f.pos.recordSale({ lines: [{ productId: saffron.id, quantity: 3 }], sellerId: ids.seller, payments: [{ paymentTypeId: ids.cash, principalCents: 119 }] });
  expect(original.sale.totalCents).toBe(119);

  const credits: number[] = [];
  for (let exchange = 0; exchange < 3; exchange++) {
    const [line] = await f.pos.returnable(original.sale.id);
    const shown = creditOf([returnedItemOf(line!, 1)]);
    const { sale } = await f.pos.recordExchange({
      // New goods of 1234 cents, paid by what the screen left to pay: a credit recorded lower would leave them short.
      lines: [{ productId: 'p-00005', quantity: 1 }],
      sellerId: ids.seller,
      payments: [{ paymentTypeId: ids.pix, principalCents: 1234 - shown }],
      exchange: { originalSaleId: original.sale.id, returnedItems: [{ productId: saffron.id, quantity: 1, unit: 'KG', unitPriceCents: 0 }] },
    });
    expect(sale.exchange!.creditCents).toBe(shown);
    credits.push(sale.exchange!.creditCents);
  }
  expect(credits).toEqual([40, 40, 39]);
  expect(await f.pos.returnable(original.sale.id)).toEqual([expect.objectContaining({ quantity: 0, creditLeftCents: 0 })]);
});
