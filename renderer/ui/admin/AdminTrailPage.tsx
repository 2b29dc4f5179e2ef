import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AdminEvent, PosAuditEntry } from '../../../sync/schema/index.ts';
import { dateTimeFormat } from '../../i18n/format.ts';
import { formatCents } from '../../core/money.ts';
import { useCore, useErrorText } from '../core-context.tsx';
import { ADMIN_TRAIL_IDS } from './test-ids.ts';

/** What the admin filters the trail by. */
export type TrailKind = 'supervisor' | 'cancellation' | 'till' | 'administration' | 'other';

/** One row of the merged trail: a station's audit event or an administration change. */
export interface TrailRow {
  id: string;
  at: string;
  kind: TrailKind;
  action: string;
  who: string;
  supervisor: string | null;
  stationId: string | null;
  detail: string | null;
}

const CANCELLATIONS = new Set(['cancel', 'exchangeCancel']);
const TILL = new Set(['cashOpen', 'cashSupply', 'cashWithdrawal', 'cashClose']);

/**
 * The station events and the administration changes of the store in one list, newest first: a
 * supervisor's authorisation (any event that names one), cancellations, the till, and the admin's
 * changes (stations, pairing codes, users, supervisor codes, store settings, API keys).
 */
export function mergeTrail(audit: readonly PosAuditEntry[], admin: readonly AdminEvent[]): TrailRow[] {
  const rows: TrailRow[] = [
    ...audit.map((event) => ({
      id: `audit-${event.id}`,
      at: event.at,
      kind: (event.supervisorId ? 'supervisor' : CANCELLATIONS.has(event.action) ? 'cancellation' : TILL.has(event.action) ? 'till' : 'other') as TrailKind,
      action: event.action,
      who: event.userName ?? event.userId,
      supervisor: event.supervisorId ? (event.supervisorName ?? event.supervisorId) : null,
      stationId: event.stationId,
      detail: event.detail,
    })),
    ...admin.map((event) => ({
      id: `admin-${event.id}`,
      at: event.at,
      kind: 'administration' as const,
      action: event.action,
      who: event.userName ?? event.userId ?? '—',
      supervisor: null,
      stationId: event.stationId,
      detail: event.detail,
    })),
  ];
  return rows.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}

const LIMIT = 1000;

/** A detail as people read it: a JSON object's fields as "name: value", amounts in cents as money. */
export function readableDetail(detail: string | null, money: (cents: number) => string): string {
  if (!detail) return '';
  try {
    const data = JSON.parse(detail) as unknown;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return detail;
    return Object.entries(data as Record<string, unknown>)
      .map(([key, value]) => (typeof value === 'number' && key.endsWith('Cents') ? `${key.slice(0, -5)}: ${money(value)}` : `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`))
      .join(' · ');
  } catch {
    return detail;
  }
}

/**
 * The admin's trail of who did what (issue 15): supervisor authorisations, cancellations, till
 * movements and closings from every station (GET /api/pos/audit), with the store's administration
 * changes (GET /api/admin/events). Read from the server, so it shows what reached it; dates in the
 * user's language.
 */
export function AdminTrailPage() {
  const { t, i18n } = useTranslation();
  const core = useCore();
  const errorText = useErrorText();
  const [rows, setRows] = useState<TrailRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [kind, setKind] = useState<TrailKind | ''>('');
  const format = useMemo(() => dateTimeFormat(i18n.language), [i18n.language]);
  const money = (cents: number) => formatCents(cents, i18n.language);

  const load = useCallback(async () => {
    setError(null);
    try {
      const [audit, admin] = await Promise.all([core.request<PosAuditEntry[]>('GET', `/api/pos/audit?limit=${LIMIT}`), core.request<AdminEvent[]>('GET', `/api/admin/events?limit=${LIMIT}`)]);
      setRows(mergeTrail(audit, admin));
    } catch (e) {
      setError(errorText(e));
    }
  }, [core, errorText]);
  useEffect(() => void load(), [load]);

  const shown = (rows ?? []).filter((row) => !kind || row.kind === kind);
  const actionLabel = (row: TrailRow) => (row.kind === 'administration' ? t(`adminTrail.adminActions.${row.action}`, { defaultValue: row.action }) : t(`pos.audit.actions.${row.action}`, { defaultValue: row.action }));
  const kinds: TrailKind[] = ['supervisor', 'cancellation', 'till', 'administration', 'other'];

  return (
    <Stack gap="sm" style={{ flex: 1, minHeight: 0 }} data-testid={ADMIN_TRAIL_IDS.page} data-count={rows ? shown.length : undefined}>
      <Group justify="space-between" align="end">
        <Title order={4}>{t('adminTrail.title')}</Title>
        <Group align="end" gap="xs">
          <NativeSelect
            label={t('adminTrail.filter')}
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as TrailKind | '')}
            data={[{ value: '', label: t('adminTrail.all') }, ...kinds.map((value) => ({ value, label: t(`adminTrail.kinds.${value}`) }))]}
            size="xs"
            data-testid={ADMIN_TRAIL_IDS.filter}
          />
          <Button size="xs" variant="default" onClick={() => void load()} data-testid={ADMIN_TRAIL_IDS.refresh}>
            {t('adminTrail.refresh')}
          </Button>
        </Group>
      </Group>
      <Text size="sm" c="dimmed">{t('adminTrail.subtitle')}</Text>
      {error && <Alert color="orange" data-testid={ADMIN_TRAIL_IDS.error}>{error}</Alert>}
      <div style={{ flex: 1, overflow: 'auto' }}>
        {rows && shown.length === 0 ? (
          <Text c="dimmed">{t('adminTrail.empty')}</Text>
        ) : (
          <Table striped stickyHeader>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('adminTrail.at')}</Table.Th>
                <Table.Th>{t('adminTrail.who')}</Table.Th>
                <Table.Th>{t('adminTrail.action')}</Table.Th>
                <Table.Th>{t('adminTrail.station')}</Table.Th>
                <Table.Th>{t('adminTrail.detail')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((row) => (
                <Table.Tr key={row.id} data-testid={ADMIN_TRAIL_IDS.row} data-kind={row.kind} data-action={row.action}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }} data-testid={ADMIN_TRAIL_IDS.at}>{format.format(new Date(row.at))}</Table.Td>
                  <Table.Td>
                    {row.who}
                    {row.supervisor && <Text size="xs" c="dimmed" data-testid={ADMIN_TRAIL_IDS.supervisor}>{t('pos.audit.authorizedBy', { name: row.supervisor })}</Text>}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={600} c={row.kind === 'administration' ? 'grape' : row.kind === 'supervisor' ? 'orange' : row.kind === 'cancellation' ? 'red' : undefined}>
                      {actionLabel(row)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{row.stationId ?? ''}</Table.Td>
                  <Table.Td style={{ maxWidth: 360, overflowWrap: 'anywhere' }}>
                    <Text size="xs">{readableDetail(row.detail, money)}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </div>
    </Stack>
  );
}
