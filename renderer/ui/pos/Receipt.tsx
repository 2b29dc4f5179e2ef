import { Badge, Button, Divider, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatTaxId, lineAmountCents, sumCents, unitSymbol } from '../../../sync/rules/index.ts';
import type { Sale } from '../../../sync/schema/index.ts';
import type { RecordedSale } from '../../core/pos/pos.ts';
import type { PosCatalog } from '../../core/pos/catalog.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useCore } from '../core-context.tsx';
import { installmentParts } from './money.ts';
import { useDateTime, useMoney, useQuantityText } from './use-money.ts';

const ids = TEST_IDS.pos;

/** The receipt's lines, for a sale just recorded and for a reprint from the station query (POS-23). */
export function ReceiptBody({ sale, catalog, originalNumber, creditLeftCents = 0, reprint = false }: { sale: Sale; catalog: PosCatalog; originalNumber?: number; creditLeftCents?: number; reprint?: boolean }) {
  const { t } = useTranslation();
  const core = useCore();
  const money = useMoney();
  const dateTime = useDateTime();
  const quantityText = useQuantityText();
  const perUnit = (cents: number, unit?: string) => `${money(cents)}${unit ? `/${unitSymbol(unit)}` : ''}`;
  const interestCents = sumCents(sale.payments.map((payment) => payment.interestCents ?? 0));
  const line = (label: string, amount: string, bold = false, testId?: string, cents?: number) => (
    <Group justify="space-between" wrap="nowrap" data-testid={testId} data-cents={cents}>
      <Text ff="monospace" fz="sm" fw={bold ? 700 : undefined}>{label}</Text>
      <Text ff="monospace" fz="sm" fw={bold ? 700 : undefined}>{amount}</Text>
    </Group>
  );
  return (
    <Stack gap={4} data-testid={ids.receipt} data-sale-id={sale.id} data-number={sale.number} data-total-cents={sale.totalCents} data-change-cents={sale.changeCents} data-reprint={String(reprint)}>
      {reprint && <Badge color="gray" variant="outline" data-testid={ids.receiptCopy}>{t('pos.receipt.copy')}</Badge>}
      <Text ff="monospace" fz="sm">{core.state.settings.storeName} · {core.state.settings.stationName}</Text>
      <Text ff="monospace" fz="sm">{t('pos.receipt.number', { number: sale.number })} · {dateTime(sale.createdAt)}</Text>
      {sale.status === 'cancelled' && <Text ff="monospace" fz="sm" fw={700} c="red">{t('pos.receipt.cancelled')}</Text>}
      <Divider />
      {sale.items.map((item, index) => (
        <div key={index}>
          <Text ff="monospace" fz="sm">{core.products.get(item.productId)?.name ?? item.productId}</Text>
          {line(`${quantityText(item.quantity, item.unit)} × ${perUnit(item.unitPriceCents, item.unit)}${item.discountCents ? ` − ${money(item.discountCents)}` : ''}`, money(item.totalCents))}
          {item.promotionId && <Text ff="monospace" fz="xs" c="teal">{catalog.byId.get(item.promotionId)?.name}</Text>}
        </div>
      ))}
      <Divider />
      {line(t('pos.sale.subtotal'), money(sale.subtotalCents))}
      {line(t('pos.sale.discounts'), money(sale.discountCents))}
      {line(t('pos.sale.total'), money(sale.totalCents), true)}
      {sale.exchange && <Text ff="monospace" fz="sm">{t('pos.receipt.exchangeNote', { original: originalNumber ?? sale.exchange.originalSaleId, credit: money(sale.exchange.creditCents) })}</Text>}
      {sale.exchange && (
        // The goods that came back, so the customer's copy shows what the credit was for (POS-11).
        <div data-testid={ids.receiptReturned}>
          <Text ff="monospace" fz="sm" fw={600}>{t('pos.receipt.returnedItems')}</Text>
          {sale.exchange.returnedItems.map((item, index) => (
            <div key={index} data-testid={ids.receiptReturnedItem} data-product-id={item.productId} data-quantity={item.quantity}>
              {line(`${core.products.get(item.productId)?.name ?? item.productId} ${quantityText(item.quantity, item.unit)} × ${perUnit(item.unitPriceCents, item.unit)}`, `− ${money(lineAmountCents(item.unitPriceCents, item.quantity, item.unit))}`)}
            </div>
          ))}
        </div>
      )}
      {sale.payments.map((payment, index) => (
        <div key={index} data-testid={ids.receiptPayment} data-amount-cents={payment.amountCents} data-interest-cents={payment.interestCents ?? 0}>
          {line(`${catalog.byId.get(payment.paymentTypeId)?.name ?? payment.paymentTypeId}${payment.interestCents ? ` (${t('pos.payment.interest', { amount: money(payment.interestCents) })})` : ''}`, money(payment.amountCents))}
          {payment.voucherNumber && <Text ff="monospace" fz="xs" c="dimmed">{t('pos.receipt.voucherSpent', { number: payment.voucherNumber })}</Text>}
          {payment.installments && payment.installments > 1 ? (
            <Text ff="monospace" fz="xs" c="dimmed" data-testid={ids.receiptInstallments}>
              {installmentParts(payment.amountCents, payment.installments, money)}
            </Text>
          ) : null}
        </div>
      ))}
      {interestCents > 0 && line(t('pos.payment.totalWithInterest'), money(sale.totalCents - (sale.exchange?.creditCents ?? 0) + interestCents), true, ids.receiptTotalWithInterest, sale.totalCents - (sale.exchange?.creditCents ?? 0) + interestCents)}
      {sale.changeCents > 0 && line(t('pos.payment.change'), money(sale.changeCents), true)}
      {sale.exchange?.voucher ? (
        // POS-21: the voucher the customer takes away, with the number a cashier types or scans at any station.
        <Stack gap={0} p={6} style={{ border: '1px dashed var(--mantine-color-gray-6)' }} data-testid={ids.receiptVoucher} data-number={sale.exchange.voucher.number} data-cents={sale.exchange.voucher.amountCents}>
          <Text ff="monospace" fz="sm" fw={700}>{t('pos.receipt.voucherTitle')}</Text>
          {line(t('pos.receipt.voucherNumber'), sale.exchange.voucher.number, true)}
          {line(t('pos.receipt.voucherValue'), money(sale.exchange.voucher.amountCents), true)}
          <Text ff="monospace" fz="xs">{t('pos.receipt.voucherHint')}</Text>
        </Stack>
      ) : (
        creditLeftCents > 0 && <Text ff="monospace" fz="sm">{t('pos.payment.creditLeft', { amount: money(creditLeftCents) })}</Text>
      )}
      <Text ff="monospace" fz="sm">{t('pos.receipt.seller', { name: catalog.byId.get(sale.sellerId)?.name ?? sale.sellerId })}</Text>
      {sale.customerTaxId && <Text ff="monospace" fz="sm">{t('pos.receipt.customer', { taxId: formatTaxId(sale.customerTaxId) })}</Text>}
    </Stack>
  );
}

/** The receipt view after a sale; Enter (or the button) starts the next sale. */
export function Receipt({ recorded, catalog, originalNumber, onClose }: { recorded: RecordedSale | null; catalog: PosCatalog; originalNumber?: number; onClose(): void }) {
  const { t } = useTranslation();
  const sale = recorded?.sale;
  return (
    <Modal opened={!!sale} onClose={onClose} title={sale ? t('pos.receipt.title', { number: sale.number }) : ''} size="md">
      {sale && recorded && (
        <Stack gap={4}>
          <ReceiptBody sale={sale} catalog={catalog} originalNumber={originalNumber} creditLeftCents={recorded.settlement.creditLeftCents} />
          <Text size="xs" c="dimmed" mt="xs">{t('pos.receipt.saved')}</Text>
          <Group mt="sm">
            <Button onClick={onClose} autoFocus data-testid={ids.receiptClose}>{t('pos.receipt.close')}</Button>
            <Button variant="default" onClick={() => window.print()}>{t('pos.receipt.print')}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

/** A second copy of a recorded sale's receipt (POS-23), opened from the station query. */
export function ReprintModal({ sale, catalog, originalNumber, onClose }: { sale: Sale | null; catalog: PosCatalog; originalNumber?: number; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={!!sale} onClose={onClose} title={sale ? t('pos.receipt.reprintTitle', { number: sale.number }) : ''} size="md">
      {sale && (
        <Stack gap={4}>
          <ReceiptBody sale={sale} catalog={catalog} originalNumber={originalNumber} reprint />
          <Group mt="sm">
            <Button onClick={() => window.print()} autoFocus data-testid={ids.reprintPrint}>{t('pos.receipt.print')}</Button>
            <Button variant="default" onClick={onClose} data-testid={ids.reprintClose}>{t('common.close')}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
