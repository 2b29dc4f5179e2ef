import { useEffect, useState } from 'react';
import { Card, Group, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PurchaseOrder } from '../../../sync/schema/index.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useMoney } from '../pos/use-money.ts';
import { useDesign } from './design-context.tsx';

/** The purchase orders the finished review generated, one per supplier (DES-14). */
export function PurchaseOrdersList({ projectId }: { projectId: string }) {
  const { t } = useTranslation();
  const { design } = useDesign();
  const money = useMoney();
  const [orders, setOrders] = useState<PurchaseOrder[]>([]);
  useEffect(() => {
    if (!design) return;
    const sub = design.purchaseOrders$(projectId).subscribe(setOrders);
    return () => sub.unsubscribe();
  }, [design, projectId]);
  if (orders.length === 0) return <Text size="sm" c="dimmed">{t('design.orders.empty')}</Text>;
  return (
    <Stack gap="xs">
      {orders.map((order) => (
        <Card key={order.id} withBorder padding="xs" data-testid={TEST_IDS.design.project.purchaseOrder} data-order-id={order.id} data-supplier={order.supplier} data-total-cents={order.totalCents}>
          <Group justify="space-between">
            <Text fw={600}>{t('design.orders.supplier', { supplier: order.supplier })}</Text>
            <Text fw={600}>{money(order.totalCents)}</Text>
          </Group>
          <Table>
            <Table.Tbody>
              {order.items.map((item, index) => (
                <Table.Tr key={index}>
                  <Table.Td>{item.code ?? ''}</Table.Td>
                  <Table.Td>{item.description}</Table.Td>
                  <Table.Td ta="right">{item.quantity}</Table.Td>
                  <Table.Td ta="right">{money(item.unitPriceCents)}</Table.Td>
                  <Table.Td ta="right">{money(item.totalCents)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      ))}
    </Stack>
  );
}
