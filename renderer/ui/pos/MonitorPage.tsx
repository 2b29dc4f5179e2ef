import { useCallback, useEffect, useState } from 'react';
import { Alert, Badge, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { IntegrationError, StationStatus } from '../../../sync/schema/index.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useCore } from '../core-context.tsx';
import { NewStationGroup } from './NewStationGroup.tsx';
import { usePosContext, usePosErrorText } from './pos-context.tsx';
import { useDateTime } from './use-money.ts';
import { toast } from '../toast.ts';

const ids = TEST_IDS.pos.monitor;
const REFRESH_SECONDS = 3;

/** The admin's view of every station (POS-13), read from the server every few seconds. */
export function MonitorPage() {
  const { t } = useTranslation();
  const core = useCore();
  const { catalog } = usePosContext();
  const dateTime = useDateTime();
  const [stations, setStations] = useState<StationStatus[]>([]);
  const [errors, setErrors] = useState<IntegrationError[]>([]);
  const [unreachable, setUnreachable] = useState(false);
  const errorText = usePosErrorText();

  /** POS-08: the station then receives the new group's price table and promotions. */
  const moveStation = async (station: StationStatus, groupId: string) => {
    try {
      await core.request('PUT', `/api/stations/${encodeURIComponent(station.id)}/group`, { groupId });
      toast('pos-monitor', t('pos.monitor.groupChanged', { group: catalog.byId.get(groupId)?.name ?? groupId }), 'teal');
      await refresh();
    } catch (error) {
      toast('pos-monitor', errorText(error), 'red');
    }
  };

  const refresh = useCallback(async () => {
    try {
      const [list, errorList] = await Promise.all([core.request<StationStatus[]>('GET', '/api/stations'), core.request<IntegrationError[]>('GET', '/api/sync/errors')]);
      setStations(list);
      setErrors(errorList);
      setUnreachable(false);
    } catch {
      setUnreachable(true);
    }
  }, [core]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_SECONDS * 1000);
    return () => clearInterval(timer);
  }, [refresh]);

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={4}>{t('pos.monitor.title')}</Title>
        <Text size="xs" c="dimmed">{t('pos.monitor.refreshing', { seconds: REFRESH_SECONDS })}</Text>
      </Group>
      {unreachable && <Alert color="gray" data-testid={ids.unreachable}>{t('pos.monitor.unreachable')}</Alert>}
      <NewStationGroup />
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('pos.monitor.station')}</Table.Th>
            <Table.Th>{t('pos.monitor.group')}</Table.Th>
            <Table.Th>{t('pos.monitor.state')}</Table.Th>
            <Table.Th visibleFrom="lg">{t('pos.monitor.lastContact')}</Table.Th>
            <Table.Th ta="right">{t('pos.monitor.pending')}</Table.Th>
            <Table.Th ta="right">{t('pos.monitor.errors')}</Table.Th>
            <Table.Th visibleFrom="lg">{t('pos.monitor.version')}</Table.Th>
            <Table.Th visibleFrom="lg">{t('pos.monitor.lastError')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {stations.map((s) => {
            const errorCount = errors.filter((e) => e.stationId === s.id && !e.resolvedAt).length;
            return (
              <Table.Tr key={s.id} data-testid={ids.row} data-station-code={s.code} data-online={String(s.online)} data-pending={s.pendingUploads} data-errors={errorCount}>
                <Table.Td>
                  {s.code} · {s.name}
                  {/* Below 1200 px the version and the last error move under the station's name. */}
                  <Text size="xs" c="dimmed" hiddenFrom="lg">{s.appVersion}</Text>
                  {s.lastError && <Text size="xs" c="red" lineClamp={2} hiddenFrom="lg">{s.lastError}</Text>}
                </Table.Td>
                <Table.Td>
                  <NativeSelect
                    size="xs"
                    miw={140}
                    aria-label={t('pos.monitor.changeGroup')}
                    value={s.groupId ?? ''}
                    onChange={(e) => void moveStation(s, e.currentTarget.value)}
                    data={[...(s.groupId && !catalog.byId.has(s.groupId) ? [{ value: s.groupId, label: s.groupId }] : []), ...catalog.stationGroups.map((g) => ({ value: g.id, label: g.name }))]}
                    data-testid={ids.group}
                  />
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Badge color={!s.paired ? 'gray' : s.online ? 'teal' : 'red'} style={{ overflow: 'visible' }}>{!s.paired ? t('pos.monitor.unpaired') : s.online ? t('pos.monitor.online') : t('pos.monitor.offline')}</Badge>
                  <Text size="xs" c="dimmed" hiddenFrom="lg">{s.lastContact ? dateTime(s.lastContact) : t('common.never')}</Text>
                </Table.Td>
                <Table.Td visibleFrom="lg">{s.lastContact ? dateTime(s.lastContact) : t('common.never')}</Table.Td>
                <Table.Td ta="right">{s.pendingUploads}</Table.Td>
                <Table.Td ta="right">{errorCount}</Table.Td>
                <Table.Td visibleFrom="lg">{s.appVersion}</Table.Td>
                <Table.Td visibleFrom="lg"><Text size="xs" lineClamp={2}>{s.lastError}</Text></Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
