import { useMemo, useState } from 'react';
import { ActionIcon, Badge, Group, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconPrinter } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Sale } from '../../../sync/schema/index.ts';
import { saleSyncState } from '../../core/pos/sync-state.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { usePosContext } from './pos-context.tsx';
import { PeriodPicker } from './PeriodPicker.tsx';
import { ReprintModal } from './Receipt.tsx';
import { inPeriod, todayPeriod } from './period.ts';
import { useDateTime, useMoney } from './use-money.ts';
import { useLive } from './use-live.ts';

const ids = TEST_IDS.pos.query;
const STATE_COLORS = { pending: 'orange', sent: 'teal', refused: 'red' } as const;

/** This station's sales over a period with each one's upload state (POS-12). */
export function StationQueryPage() {
  const { t } = useTranslation();
  const { pos, catalog, watermark, refusedIds } = usePosContext();
  const money = useMoney();
  const dateTime = useDateTime();
  const [period, setPeriod] = useState(todayPeriod(7));
  const sales = useLive<Sale>(() => pos?.sales$() ?? null, [pos]);
  const [reprint, setReprint] = useState<Sale | null>(null);
  const rows = useMemo(() => sales.filter((s) => s.stationId === pos?.stationId && inPeriod(s.createdAt, period)), [sales, pos, period]);

  return (
    <Stack gap="sm" style={{ flex: 1, minHeight: 0 }}>
      <Group justify="space-between" align="end">
        <Title order={4}>{t('pos.query.title')}</Title>
        <PeriodPicker value={period} onChange={setPeriod} fromTestId={ids.from} toTestId={ids.to} />
      </Group>
      <Group gap="xs">
        <Text size="sm" data-testid={ids.count} data-count={rows.length}>{t('pos.query.count', { count: rows.length })}</Text>
        <Text size="xs" c="dimmed">{t('pos.query.refusedHint')}</Text>
      </Group>
      <div style={{ flex: 1, overflow: 'auto' }}>
        {rows.length === 0 ? (
          <Text c="dimmed">{t('pos.query.empty')}</Text>
        ) : (
          <Table striped stickyHeader>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('pos.query.number')}</Table.Th>
                <Table.Th>{t('pos.query.at')}</Table.Th>
                <Table.Th>{t('pos.query.seller')}</Table.Th>
                <Table.Th ta="right">{t('pos.query.total')}</Table.Th>
                <Table.Th>{t('pos.query.status')}</Table.Th>
                <Table.Th>{t('pos.query.sync')}</Table.Th>
                <Table.Th w={48} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((sale) => {
                const state = saleSyncState(sale, watermark, refusedIds);
                return (
                  <Table.Tr key={sale.id} data-testid={ids.row} data-sale-id={sale.id} data-number={sale.number} data-status={sale.status} data-sync-state={state}>
                    <Table.Td>{sale.number}</Table.Td>
                    <Table.Td>{dateTime(sale.createdAt)}</Table.Td>
                    <Table.Td>{catalog.byId.get(sale.sellerId)?.name ?? sale.sellerId}</Table.Td>
                    <Table.Td ta="right">{money(sale.totalCents)}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        <Badge size="sm" variant="light" color={sale.status === 'cancelled' ? 'red' : 'gray'}>{t(`pos.query.statuses.${sale.status}`)}</Badge>
                        {sale.exchange && <Badge size="sm" variant="light">{t('pos.query.exchange')}</Badge>}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Badge size="sm" color={STATE_COLORS[state]}>{t(`pos.query.states.${state}`)}</Badge>
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={t('pos.receipt.reprint')}>
                        <ActionIcon variant="subtle" aria-label={t('pos.receipt.reprint')} onClick={() => setReprint(sale)} data-testid={ids.reprint}>
                          <IconPrinter size={18} />
                        </ActionIcon>
                      </Tooltip>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </div>
      <ReprintModal
        sale={reprint}
        catalog={catalog}
        originalNumber={reprint?.exchange ? sales.find((s) => s.id === reprint.exchange?.originalSaleId)?.number : undefined}
        onClose={() => setReprint(null)}
      />
    </Stack>
  );
}
