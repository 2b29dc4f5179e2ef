import { Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Sale } from '../../../sync/schema/index.ts';
import { useCore } from '../core-context.tsx';
import { usePosContext } from './pos-context.tsx';
import { useDateTime, useMoney, useQuantityText } from './use-money.ts';

export function SaleSummaryCard({ sale, testId }: { sale: Sale; testId: string }) {
  const { t } = useTranslation();
  const core = useCore();
  const { catalog } = usePosContext();
  const money = useMoney();
  const quantityText = useQuantityText();
  const dateTime = useDateTime();
  return (
    <Paper withBorder p="sm" data-testid={testId} data-sale-id={sale.id} data-status={sale.status}>
      <Group justify="space-between" mb={4}>
        <Text fw={700}>
          #{sale.number} · {dateTime(sale.createdAt)}
        </Text>
        <Group gap={4}>
          {sale.exchange && <Badge variant="light">{t('pos.query.exchange')}</Badge>}
          <Badge color={sale.status === 'cancelled' ? 'red' : 'teal'} variant="light">
            {t(`pos.query.statuses.${sale.status}`)}
          </Badge>
        </Group>
      </Group>
      <Stack gap={0}>
        {sale.items.map((item, index) => (
          <Group key={index} justify="space-between">
            <Text size="sm">
              {quantityText(item.quantity, item.unit)} × {core.products.get(item.productId)?.name ?? item.productId}
            </Text>
            <Text size="sm">{money(item.totalCents)}</Text>
          </Group>
        ))}
      </Stack>
      <Group justify="space-between" mt={4}>
        <Text size="sm" c="dimmed">
          {catalog.byId.get(sale.sellerId)?.name}
        </Text>
        <Text fw={700}>{money(sale.totalCents)}</Text>
      </Group>
    </Paper>
  );
}
