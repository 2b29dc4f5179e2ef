import { useMemo, useState } from 'react';
import { Alert, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Sale } from '../../../sync/schema/index.ts';
import { summarize, type SummaryBucket } from '../../core/pos/summary.ts';
import { saleSyncState } from '../../core/pos/sync-state.ts';
import { formatDay } from '../../i18n/format.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { usePosContext } from './pos-context.tsx';
import { PeriodPicker } from './PeriodPicker.tsx';
import { inPeriod, todayPeriod } from './period.ts';
import { useMoney } from './use-money.ts';
import { useLive } from './use-live.ts';

const ids = TEST_IDS.pos.summary;

/** Sales summary (POS-15) of this station; what is waiting to upload shown apart. */
export function SummaryPage() {
  const { t, i18n } = useTranslation();
  const { pos, catalog, watermark, refusedIds } = usePosContext();
  const money = useMoney();
  const [period, setPeriod] = useState(todayPeriod(0));
  const sales = useLive<Sale>(() => pos?.sales$() ?? null, [pos]);
  const summary = useMemo(() => {
    const rows = sales.filter((s) => s.stationId === pos?.stationId && inPeriod(s.createdAt, period));
    return summarize(rows, (s) => saleSyncState(s, watermark, refusedIds), (id) => catalog.byId.get(id)?.method === 'cash');
  }, [sales, pos, period, watermark, refusedIds, catalog]);

  const table = (title: string, buckets: SummaryBucket[], label: (key: string) => string, testId: string) => (
    <Paper withBorder p="sm">
      <Text fw={600} mb="xs">{title}</Text>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            <Table.Th ta="right">{t('pos.summary.count')}</Table.Th>
            <Table.Th ta="right">{t('pos.summary.amount')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {buckets.map((b) => (
            <Table.Tr key={b.key} data-testid={testId} data-key={b.key} data-cents={b.totalCents}>
              <Table.Td>{label(b.key)}</Table.Td>
              <Table.Td ta="right">{b.count}</Table.Td>
              <Table.Td ta="right">{money(b.totalCents)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
  const name = (id: string) => catalog.byId.get(id)?.name ?? id;

  return (
    <Stack gap="sm" style={{ overflow: 'auto' }}>
      <Group justify="space-between" align="end">
        <Title order={4}>{t('pos.summary.title')}</Title>
        <PeriodPicker value={period} onChange={setPeriod} fromTestId={ids.from} toTestId={ids.to} />
      </Group>
      <Group>
        <Paper withBorder p="sm" data-testid={ids.total} data-cents={summary.paidCents} data-count={summary.saleCount}>
          <Text size="xs" c="dimmed">{t('pos.summary.received')}</Text>
          <Text fw={700} size="xl">{money(summary.paidCents)}</Text>
          <Text size="xs">{t('pos.summary.sales')}: {summary.saleCount} · {t('pos.summary.total')}: {money(summary.totalCents)}</Text>
        </Paper>
        <Stack gap={2}>
          <Text size="sm">{t('pos.summary.cancelled', { count: summary.cancelledCount, amount: money(summary.cancelledCents) })}</Text>
          <Text size="sm">{t('pos.summary.exchangeCredit', { amount: money(summary.exchangeCreditCents) })}</Text>
        </Stack>
      </Group>
      <Alert color={summary.waiting.count ? 'orange' : 'teal'} data-testid={ids.waiting} data-count={summary.waiting.count} data-cents={summary.waiting.totalCents}>
        {summary.waiting.count ? t('pos.summary.waiting', { count: summary.waiting.count, amount: money(summary.waiting.totalCents) }) : t('pos.summary.nothingWaiting')}
      </Alert>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        {table(t('pos.summary.byPaymentType'), summary.byPaymentType, name, ids.paymentRow)}
        {table(t('pos.summary.bySeller'), summary.bySeller, name, ids.sellerRow)}
        {table(t('pos.summary.byDay'), summary.byDay, (day) => formatDay(day, i18n.language), ids.dayRow)}
      </SimpleGrid>
    </Stack>
  );
}
