import { Button, Divider, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatTaxId } from '../../../sync/rules/index.ts';
import type { RecordedSale } from '../../core/pos/pos.ts';
import type { PosCatalog } from '../../core/pos/catalog.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useCore } from '../core-context.tsx';
import { useDateTime, useMoney } from './use-money.ts';

/** The receipt view after a sale; Enter (or the button) starts the next sale. */
export function Receipt({ recorded, catalog, originalNumber, onClose }: { recorded: RecordedSale | null; catalog: PosCatalog; originalNumber?: number; onClose(): void }) {
  const { t } = useTranslation();
  const core = useCore();
  const money = useMoney();
  const dateTime = useDateTime();
  const sale = recorded?.sale;
  return (
    <Modal opened={!!sale} onClose={onClose} title={sale ? t('pos.receipt.title', { number: sale.number }) : ''} size="md">
      {sale && recorded && (
        <Stack gap={4} data-testid={TEST_IDS.pos.receipt} data-sale-id={sale.id} data-number={sale.number} data-total-cents={sale.totalCents} data-change-cents={sale.changeCents} ff="monospace" fz="sm">
          <Text ff="monospace" fz="sm">{core.state.settings.storeName} · {core.state.settings.stationName}</Text>
          <Text ff="monospace" fz="sm">{dateTime(sale.createdAt)}</Text>
          <Divider />
          {sale.items.map((item, index) => (
            <div key={index}>
              <Text ff="monospace" fz="sm">{core.products.get(item.productId)?.name ?? item.productId}</Text>
              <Group justify="space-between">
                <Text ff="monospace" fz="sm">{item.quantity} × {money(item.unitPriceCents)}{item.discountCents ? ` − ${money(item.discountCents)}` : ''}</Text>
                <Text ff="monospace" fz="sm">{money(item.totalCents)}</Text>
              </Group>
              {item.promotionId && <Text ff="monospace" fz="xs" c="teal">{catalog.byId.get(item.promotionId)?.name}</Text>}
            </div>
          ))}
          <Divider />
          <Group justify="space-between"><Text ff="monospace" fz="sm">{t('pos.sale.subtotal')}</Text><Text ff="monospace" fz="sm">{money(sale.subtotalCents)}</Text></Group>
          <Group justify="space-between"><Text ff="monospace" fz="sm">{t('pos.sale.discounts')}</Text><Text ff="monospace" fz="sm">{money(sale.discountCents)}</Text></Group>
          <Group justify="space-between"><Text ff="monospace" fw={700}>{t('pos.sale.total')}</Text><Text ff="monospace" fw={700}>{money(sale.totalCents)}</Text></Group>
          {sale.exchange && <Text ff="monospace" fz="sm">{t('pos.receipt.exchangeNote', { original: originalNumber ?? sale.exchange.originalSaleId, credit: money(sale.exchange.creditCents) })}</Text>}
          {sale.payments.map((payment, index) => (
            <Group key={index} justify="space-between">
              <Text ff="monospace" fz="sm">
                {catalog.byId.get(payment.paymentTypeId)?.name}
                {payment.installments && payment.installments > 1 ? ` ${t('pos.payment.installments', { count: payment.installments, amount: money(recorded.installmentAmounts[index]?.at(-1) ?? 0) })}` : ''}
                {payment.interestCents ? ` (${t('pos.payment.interest', { amount: money(payment.interestCents) })})` : ''}
              </Text>
              <Text ff="monospace" fz="sm">{money(payment.amountCents)}</Text>
            </Group>
          ))}
          {sale.changeCents > 0 && <Group justify="space-between"><Text ff="monospace" fw={700}>{t('pos.payment.change')}</Text><Text ff="monospace" fw={700}>{money(sale.changeCents)}</Text></Group>}
          {recorded.settlement.creditLeftCents > 0 && <Text ff="monospace" fz="sm">{t('pos.payment.creditLeft', { amount: money(recorded.settlement.creditLeftCents) })}</Text>}
          <Text ff="monospace" fz="sm">{t('pos.receipt.seller', { name: catalog.byId.get(sale.sellerId)?.name ?? sale.sellerId })}</Text>
          {sale.customerTaxId && <Text ff="monospace" fz="sm">{t('pos.receipt.customer', { taxId: formatTaxId(sale.customerTaxId) })}</Text>}
          <Text size="xs" c="dimmed" mt="xs">{t('pos.receipt.saved')}</Text>
          <Group mt="sm">
            <Button onClick={onClose} autoFocus data-testid={TEST_IDS.pos.receiptClose}>{t('pos.receipt.close')}</Button>
            <Button variant="default" onClick={() => window.print()}>{t('pos.receipt.print')}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
