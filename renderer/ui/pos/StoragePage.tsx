import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Group, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { estimateStorage, type StorageEstimate } from '../../data/storage-health.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useCore } from '../core-context.tsx';

const ids = TEST_IDS.pos.storage;

function bytes(value: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let n = value;
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit++;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(n)} ${units[unit]}`;
}

/** Local database size and free quota (POS-18), plus document counts, to size a station's disk. */
export function StoragePage() {
  const { t, i18n } = useTranslation();
  const core = useCore();
  const [estimate, setEstimate] = useState<StorageEstimate | null | undefined>(undefined);
  const [counts, setCounts] = useState<[string, number][]>([]);

  const refresh = useCallback(async () => {
    setEstimate(await estimateStorage());
    const db = core.database();
    if (!db) return;
    const entries = await Promise.all(Object.entries(db.collections).map(async ([name, collection]) => [name, await collection!.count().exec()] as [string, number]));
    setCounts(entries.sort((a, b) => b[1] - a[1]));
  }, [core]);
  useEffect(() => void refresh(), [refresh]);

  const locale = i18n.language;
  return (
    <Stack gap="sm" maw={720}>
      <Group justify="space-between">
        <Title order={4}>{t('pos.storage.title')}</Title>
        <Button variant="default" onClick={() => void refresh()}>{t('pos.storage.refresh')}</Button>
      </Group>
      {estimate === null && <Alert color="gray">{t('pos.storage.unavailable')}</Alert>}
      {estimate && (
        <Stack gap={4}>
          <Group justify="space-between">
            <Text data-testid={ids.usage} data-bytes={estimate.usage}>{t('pos.storage.usage')}: <b>{bytes(estimate.usage, locale)}</b></Text>
            <Text data-testid={ids.quota} data-bytes={estimate.quota}>{t('pos.storage.quota')}: <b>{bytes(estimate.quota, locale)}</b></Text>
          </Group>
          <Progress value={Math.max(0.5, estimate.ratio * 100)} color={estimate.ratio > 0.9 ? 'red' : 'blue'} />
          <Text size="sm">{t('pos.storage.free')}: {bytes(Math.max(0, estimate.quota - estimate.usage), locale)}</Text>
          <Text size="sm">{t('pos.storage.persisted')}: {estimate.persisted ? t('pos.storage.persistedYes') : t('pos.storage.persistedNo')}</Text>
        </Stack>
      )}
      <Text fw={600}>{t('pos.storage.documents')}</Text>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('pos.storage.collection')}</Table.Th>
            <Table.Th ta="right">{t('pos.storage.count')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {counts.map(([name, count]) => (
            <Table.Tr key={name} data-testid={ids.collection} data-collection={name} data-count={count}>
              <Table.Td>{t(`pos.storage.collections.${name}`, { defaultValue: name })}</Table.Td>
              <Table.Td ta="right">{new Intl.NumberFormat(locale).format(count)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed">{t('pos.storage.hint')}</Text>
    </Stack>
  );
}
