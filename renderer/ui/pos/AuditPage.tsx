import { useMemo, useState } from 'react';
import { Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { supervisorRecordId } from '../../../sync/rules/index.ts';
import { AUDIT_ACTIONS, type AuditEvent } from '../../../sync/schema/index.ts';
import { formatCents } from '../../core/money.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useCore } from '../core-context.tsx';
import { usePosContext } from './pos-context.tsx';
import { useDateTime } from './use-money.ts';
import { useLive } from './use-live.ts';

/** The audit trail (POS-16): who did what, when, on which station. */
export function AuditPage() {
  const { t, i18n } = useTranslation();
  const core = useCore();
  const { pos, catalog } = usePosContext();
  const dateTime = useDateTime();
  const [action, setAction] = useState('');
  const events = useLive<AuditEvent>(() => pos?.audit$() ?? null, [pos]);
  const rows = useMemo(() => events.filter((e) => !action || e.action === action).slice(0, 1000), [events, action]);
  const session = core.state.session;

  // Supervisors are known by name at every station (their master records, POS-20); others by id.
  const userName = (id: string) => (session?.user.id === id ? session.user.name : (catalog.byId.get(supervisorRecordId(id))?.name ?? id));
  const detail = (event: AuditEvent) => {
    if (!event.detail) return '';
    try {
      const data = JSON.parse(event.detail) as Record<string, unknown>;
      return Object.entries(data)
        .map(([key, value]) => {
          if (typeof value === 'number' && key.endsWith('Cents')) return formatCents(value, i18n.language);
          if (typeof value === 'string' && catalog.byId.has(value)) return catalog.byId.get(value)!.name;
          if (key === 'number') return `#${String(value)}`;
          if (key === 'offline') return value ? 'offline' : '';
          if (key === 'originalSaleId') return '';
          return `${key}: ${String(value)}`;
        })
        .filter(Boolean)
        .join(' · ');
    } catch {
      return event.detail;
    }
  };

  return (
    <Stack gap="sm" style={{ flex: 1, minHeight: 0 }}>
      <Group justify="space-between" align="end">
        <Title order={4}>{t('pos.audit.title')}</Title>
        <NativeSelect
          label={t('pos.audit.filter')}
          value={action}
          onChange={(e) => setAction(e.currentTarget.value)}
          data={[{ value: '', label: t('pos.audit.all') }, ...AUDIT_ACTIONS.map((a) => ({ value: a, label: t(`pos.audit.actions.${a}`) }))]}
          size="xs"
        />
      </Group>
      <div style={{ flex: 1, overflow: 'auto' }}>
        {rows.length === 0 ? (
          <Text c="dimmed">{t('pos.audit.empty')}</Text>
        ) : (
          <Table striped stickyHeader>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('pos.audit.at')}</Table.Th>
                <Table.Th>{t('pos.audit.user')}</Table.Th>
                <Table.Th>{t('pos.audit.station')}</Table.Th>
                <Table.Th>{t('pos.audit.action')}</Table.Th>
                <Table.Th>{t('pos.audit.detail')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((event) => (
                <Table.Tr key={event.id} data-testid={TEST_IDS.pos.auditRow} data-action={event.action} data-subject-id={event.subjectId ?? ''} data-supervisor-id={event.supervisorId ?? ''}>
                  <Table.Td>{dateTime(event.at)}</Table.Td>
                  <Table.Td>
                    {userName(event.userId)}
                    {event.supervisorId && <Text size="xs" c="dimmed">{t('pos.audit.authorizedBy', { name: userName(event.supervisorId) })}</Text>}
                  </Table.Td>
                  <Table.Td>{catalog.byId.get(event.stationId)?.name ?? event.stationId}</Table.Td>
                  <Table.Td>{t(`pos.audit.actions.${event.action}`)}</Table.Td>
                  <Table.Td>{detail(event)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </div>
    </Stack>
  );
}
