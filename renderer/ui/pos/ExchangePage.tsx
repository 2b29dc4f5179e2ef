import { useState } from 'react';
import { Alert, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Sale } from '../../../sync/schema/index.ts';
import { unitSymbol } from '../../../sync/rules/index.ts';
import type { ReturnableItem } from '../../core/pos/sale-draft.ts';
import { creditOf, returnedItemOf } from '../../core/pos/sale-draft.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useCore } from '../core-context.tsx';
import { usePosContext, usePosErrorText } from './pos-context.tsx';
import { QuantityField } from './QuantityField.tsx';
import { SaleLookup } from './SaleLookup.tsx';
import { SaleWorkspace, type ExchangeInput } from './SaleWorkspace.tsx';
import { useMoney, useQuantityText } from './use-money.ts';

const ids = TEST_IDS.pos.exchange;

/** Exchange (POS-11): pick the original sale and what comes back, then sell with that credit. */
export function ExchangePage() {
  const { t } = useTranslation();
  const core = useCore();
  const { pos } = usePosContext();
  const money = useMoney();
  const quantityText = useQuantityText();
  const errorText = usePosErrorText();
  const [sale, setSale] = useState<Sale | null>(null);
  const [lines, setLines] = useState<(ReturnableItem & { available: number })[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [exchange, setExchange] = useState<ExchangeInput | null>(null);

  const found = async (candidate: Sale | null) => {
    setError(null);
    setSale(null);
    setLines([]);
    if (!candidate || !pos) {
      setError(t('pos.cancel.notFound'));
      return;
    }
    try {
      const returnable = await pos.returnable(candidate.id);
      setSale(candidate);
      setLines(returnable.map((line) => ({ ...line, available: line.quantity, quantity: 0 })));
    } catch (e) {
      setError(errorText(e));
    }
  };

  if (exchange) return <SaleWorkspace exchange={exchange} onDone={() => { setExchange(null); setSale(null); setLines([]); }} />;

  // Priced as recordExchange prices them, so the credit shown is the credit recorded.
  const returned = lines.filter((l) => l.quantity > 0).map((line) => returnedItemOf(line, line.quantity));
  return (
    <Stack maw={760} gap="sm">
      <Title order={4}>{t('pos.exchange.title')}</Title>
      <SaleLookup label={t('pos.exchange.find')} inputTestId={ids.find} buttonTestId={ids.findButton} onFound={(s) => void found(s)} />
      {error && <Alert color="orange" data-testid={ids.error}>{error}</Alert>}
      {sale && (
        <>
          <Text fw={600}>{t('pos.exchange.returned')} — #{sale.number}</Text>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('pos.sale.product')}</Table.Th>
                <Table.Th>{t('pos.exchange.sold')}</Table.Th>
                <Table.Th>{t('pos.exchange.available')}</Table.Th>
                <Table.Th ta="right">{t('pos.sale.unitPrice')}</Table.Th>
                <Table.Th w={120}>{t('pos.exchange.returnQty')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {lines.map((line, index) => (
                <Table.Tr key={line.productId}>
                  <Table.Td>{core.products.get(line.productId)?.name ?? line.productId}</Table.Td>
                  <Table.Td>{quantityText(line.soldQuantity, line.unit)}</Table.Td>
                  <Table.Td>{quantityText(line.available, line.unit)}</Table.Td>
                  <Table.Td ta="right">{money(line.unitPriceCents)}{line.unit ? `/${unitSymbol(line.unit)}` : ''}</Table.Td>
                  <Table.Td>
                    <QuantityField
                      min={0}
                      max={line.available}
                      unit={line.unit}
                      value={line.quantity}
                      onChange={(quantity) => setLines((current) => current.map((l, i) => (i === index ? { ...l, quantity } : l)))}
                      aria-label={t('pos.exchange.returnQty')}
                      data-testid={ids.returnQuantity}
                      data-product-id={line.productId}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group justify="space-between">
            <Text fw={700} data-testid={ids.credit} data-cents={creditOf(returned)}>
              {t('pos.exchange.credit', { amount: money(creditOf(returned)) })}
            </Text>
            <Button disabled={returned.length === 0} onClick={() => setExchange({ originalSaleId: sale.id, originalNumber: sale.number, returnedItems: returned })} data-testid={ids.next}>
              {t('pos.exchange.next')}
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}
