import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Box, Button, Group, ScrollArea, Select, Table, Text } from '@mantine/core';
import { IconDownload, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { RECEIVABLE_STATUSES, type Receivable, type ReceivableList, type ReceivableStatus } from '../../../sync/schema/index.ts';
import { cachedReceivables, cacheReceivables, type ReceivablesCache } from '../../core/backoffice/backoffice.ts';
import { OFFLINE_SYNC_STATUS } from '../../core/core.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useCore, useObservable } from '../core-context.tsx';
import { useDateTime, useMoney } from '../pos/use-money.ts';
import { DayInput } from './DayInput.tsx';
import classes from './backoffice.module.css';
import { receivablesSheet } from '../../core/backoffice/sheets/imports.ts';
import { downloadFile, writeSheetFile } from '../../core/backoffice/sheets/sheets.ts';
import { useBackofficeDocs, useCustomers, useDay, usePeriod, useRefusalText } from './use-backoffice.ts';

const ids = TEST_IDS.backoffice.receivables;
const PAGE = 1000;
const STATUS_COLORS: Record<ReceivableStatus, string> = { open: 'blue', paid: 'teal', overdue: 'red', cancelled: 'gray' };

/**
 * Fetches every receivable of the store, page by page, for the offline cache. The server's totals
 * cover the whole selection; the device recomputes them for its own filters from the cached rows.
 */
async function fetchAll(request: <T>(method: 'GET', path: string) => Promise<T>): Promise<ReceivableList> {
  const receivables: Receivable[] = [];
  let cursor: string | null = null;
  let totals: ReceivableList['totals'] | null = null;
  do {
    const query: string = `limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: ReceivableList = await request<ReceivableList>('GET', `/api/v1/billing/receivables?${query}`);
    receivables.push(...page.receivables);
    totals ??= page.totals;
    cursor = page.nextCursor;
  } while (cursor);
  return { receivables, totals: totals!, nextCursor: null };
}

/** BO-05: receivables with filters (customer, status, period, due dates) and totals in integer cents; readable offline from the last list fetched. */
export function ReceivablesTab() {
  const { t } = useTranslation();
  const core = useCore();
  const money = useMoney();
  const day = useDay();
  const periodName = usePeriod();
  const dateTime = useDateTime();
  const refusalText = useRefusalText();
  const online = useObservable(core.sync$, OFFLINE_SYNC_STATUS).online;
  const customers = useCustomers();
  const { contracts } = useBackofficeDocs();
  const [cache, setCache] = useState<ReceivablesCache | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [customerId, setCustomerId] = useState<string | null>(null);
  const [period, setPeriod] = useState<string | null>(null);
  const [dueFrom, setDueFrom] = useState('');
  const [dueTo, setDueTo] = useState('');

  const refresh = useCallback(async () => {
    const db = core.database();
    if (!db) return;
    setBusy(true);
    setError(null);
    try {
      const list = await fetchAll((method, path) => core.request(method, path));
      const fetchedAt = new Date().toISOString();
      await cacheReceivables(db, list, fetchedAt);
      setCache({ list, fetchedAt });
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  }, [core]);

  useEffect(() => {
    const db = core.database();
    if (db) void cachedReceivables(db).then(setCache);
  }, [core]);
  useEffect(() => {
    if (online) void refresh();
  }, [online, refresh]);

  const customerName = useMemo(() => new Map(customers.map((c) => [c.id, c.name])), [customers]);
  const customerById = useMemo(() => new Map(customers.map((c) => [c.id, c])), [customers]);
  const contractCode = useMemo(() => new Map(contracts.map((c) => [c.id, c.code])), [contracts]);
  const all = cache?.list.receivables ?? [];
  const periods = useMemo(() => [...new Set(all.map((r) => r.period))].sort().reverse(), [all]);
  const rows = useMemo(
    () => all.filter((r) => (!status || r.status === status) && (!customerId || r.customerId === customerId) && (!period || r.period === period) && (!dueFrom || r.dueDate >= dueFrom) && (!dueTo || r.dueDate <= dueTo)),
    [all, status, customerId, period, dueFrom, dueTo],
  );
  // Integer cents summed exactly; Intl only formats.
  const total = rows.reduce((sum, r) => sum + r.amountCents, 0);
  const byStatus = RECEIVABLE_STATUSES.map((s) => ({ status: s, count: rows.filter((r) => r.status === s).length, cents: rows.filter((r) => r.status === s).reduce((sum, r) => sum + r.amountCents, 0) })).filter((s) => s.count > 0);

  return (
    <Box style={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
      <Group justify="space-between" mb="xs" wrap="nowrap" align="flex-end">
        <Group gap="xs" wrap="wrap" align="flex-end">
          <Select size="xs" w={170} clearable placeholder={t('bo.receivables.allStatuses')} data={RECEIVABLE_STATUSES.map((s) => ({ value: s, label: t(`bo.receivables.statuses.${s}`) }))} value={status} onChange={setStatus} data-testid={ids.status} />
          <Select size="xs" w={200} clearable searchable placeholder={t('bo.receivables.allCustomers')} data={customers.map((c) => ({ value: c.id, label: c.name }))} value={customerId} onChange={setCustomerId} data-testid={ids.customer} />
          <Select size="xs" w={130} clearable placeholder={t('bo.receivables.period')} data={periods.map((p) => ({ value: p, label: periodName(p) }))} value={period} onChange={setPeriod} data-testid={ids.period} />
          <DayInput size="xs" aria-label={t('bo.receivables.dueFrom')} placeholder={t('bo.receivables.dueFrom')} value={dueFrom} onChange={setDueFrom} w={120} />
          <DayInput size="xs" aria-label={t('bo.receivables.dueTo')} placeholder={t('bo.receivables.dueTo')} value={dueTo} onChange={setDueTo} w={120} />
        </Group>
        <Button
          size="xs"
          variant="default"
          leftSection={<IconDownload size={14} />}
          disabled={rows.length === 0}
          data-testid={ids.download}
          style={{ flexShrink: 0 }}
          // BO-05 "download as Excel": exactly the rows on screen (the filters apply), total to the cent.
          onClick={() => void writeSheetFile(receivablesSheet(rows, { customer: (id) => customerById.get(id), contract: (id) => contractCode.get(id), status: (s) => t(`bo.receivables.statuses.${s}`) })).then((bytes) => downloadFile(bytes, `contas-a-receber${period ? `-${period}` : ''}.xlsx`))}
        >
          {t('bo.sheets.download')}
        </Button>
        <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} loading={busy} disabled={!online} onClick={() => void refresh()} data-testid={ids.refresh} style={{ flexShrink: 0 }}>{t('bo.receivables.refresh')}</Button>
      </Group>
      {error !== null && <Alert color="orange" mb="xs">{refusalText(error)}</Alert>}
      {!online && cache && <Alert color="yellow" mb="xs" py={6}>{t('bo.receivables.offline')}</Alert>}
      {cache ? (
        <Text size="xs" c="dimmed" mb={4} data-testid={ids.asOf}>{t('bo.receivables.asOf', { when: dateTime(cache.fetchedAt) })}</Text>
      ) : (
        <Alert color="gray" mb="xs">{t('bo.receivables.never')}</Alert>
      )}
      <ScrollArea style={{ flex: 1 }}>
        <Table striped highlightOnHover stickyHeader>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('bo.receivables.customer')}</Table.Th>
              <Table.Th>{t('bo.receivables.contract')}</Table.Th>
              <Table.Th>{t('bo.receivables.period')}</Table.Th>
              <Table.Th>{t('bo.receivables.dueDate')}</Table.Th>
              <Table.Th ta="right">{t('bo.receivables.amount')}</Table.Th>
              <Table.Th>{t('bo.receivables.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id} data-testid={ids.row} data-receivable-id={r.id} data-cents={r.amountCents}>
                <Table.Td>{customerName.get(r.customerId) ?? r.customerId}</Table.Td>
                <Table.Td>{contractCode.get(r.contractId) ?? r.contractId}</Table.Td>
                <Table.Td>{periodName(r.period)}</Table.Td>
                <Table.Td>{day(r.dueDate)}</Table.Td>
                <Table.Td ta="right" className={classes.fit} style={{ fontVariantNumeric: 'tabular-nums' }}>{money(r.amountCents)}</Table.Td>
                <Table.Td className={classes.fit}><Badge size="xs" variant="light" color={STATUS_COLORS[r.status]}>{t(`bo.receivables.statuses.${r.status}`)}</Badge></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      <Group gap="md" mt="xs" justify="flex-end">
        {byStatus.map((s) => (
          <Text key={s.status} size="sm" c="dimmed">{t(`bo.receivables.statuses.${s.status}`)}: {s.count} · {money(s.cents)}</Text>
        ))}
        <Text size="sm" fw={700} data-testid={ids.total} data-cents={total}>{t('bo.receivables.total', { count: rows.length, amount: money(total) })}</Text>
      </Group>
    </Box>
  );
}
