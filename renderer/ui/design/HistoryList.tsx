import { Badge, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DesignEnvironmentDoc, DesignHistoryEntry } from '../../../sync/schema/index.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useCore } from '../core-context.tsx';
import { useDateTime } from '../pos/use-money.ts';

const COLORS: Partial<Record<DesignHistoryEntry['kind'], string>> = {
  converted: 'grape',
  approval_refused: 'red',
  action_refused: 'red',
  design_change_refused: 'red',
  environment_failed: 'red',
  review_finished: 'teal',
  purchase_orders_created: 'teal',
  financially_released: 'cyan',
};

/** A kind's name is read whole: in a narrow column the badge wraps ("CONVERTIDO (ORÇAMENTO APROVADO)" was cut at 1280 px). */
const WRAPPING_BADGE = { root: { height: 'auto', paddingBlock: 2 }, label: { whiteSpace: 'normal', overflow: 'visible', lineHeight: 1.35 } } as const;

/**
 * The project's history, newest first; the conversion is marked (DES-12) and refusals say why. Each
 * entry says who made it and, when another user uploaded it (offline work at a shared station), who
 * sent it and from which station. The device holds no user directory: the signed-in user is named, the
 * others are shown by their user code (the id without the store's prefix).
 */
export function HistoryList({ history, environments, environmentId }: { history: readonly DesignHistoryEntry[]; environments: readonly DesignEnvironmentDoc[]; environmentId?: string }) {
  const { t } = useTranslation();
  const session = useCore().state.session;
  const storePrefix = session ? `${session.store.id}-` : null;
  const who = (id: string) => (id === session?.user.id ? session.user.name : storePrefix && id.startsWith(storePrefix) ? id.slice(storePrefix.length) : id);
  const dateTime = useDateTime();
  const names = new Map(environments.map((env) => [env.id, env.name]));
  const rows = history.filter((entry) => !environmentId || entry.environmentId === environmentId || !entry.environmentId).sort((a, b) => b.at.localeCompare(a.at));
  if (rows.length === 0) return <Text size="sm" c="dimmed">{t('design.history.empty')}</Text>;
  return (
    <Table striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('design.history.at')}</Table.Th>
          <Table.Th>{t('design.history.what')}</Table.Th>
          <Table.Th>{t('design.history.environment')}</Table.Th>
          <Table.Th>{t('design.history.note')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((entry, index) => (
          <Table.Tr key={`${entry.at}-${entry.kind}-${index}`} data-testid={TEST_IDS.design.project.history} data-kind={entry.kind} data-environment-id={entry.environmentId ?? ''} data-version={entry.versionNumber ?? ''}>
            {/* Who goes under when: a column of its own cut the kind badges short at 1280 and 1024 px. */}
            <Table.Td>
              <Text size="sm">{dateTime(entry.at)}</Text>
              <Text size="xs" c="dimmed" data-testid={TEST_IDS.design.project.historyBy} data-user-id={entry.userId ?? ''} data-sender-id={entry.senderId ?? ''}>
                {entry.userId ? who(entry.userId) : t('design.history.system')}
                {entry.senderId && entry.senderId !== entry.userId ? ` · ${t('design.history.sentBy', { name: who(entry.senderId), station: entry.stationId ? who(entry.stationId) : '—' })}` : ''}
              </Text>
            </Table.Td>
            <Table.Td>
              <Badge variant={entry.kind === 'converted' ? 'filled' : 'light'} color={COLORS[entry.kind] ?? 'gray'} styles={WRAPPING_BADGE}>
                {t(`design.history.kinds.${entry.kind}`, { defaultValue: entry.kind })}
              </Badge>
              {entry.versionNumber !== undefined && <Text span size="xs" ml={6}>{t('design.versions.number', { number: entry.versionNumber })}</Text>}
            </Table.Td>
            <Table.Td>{entry.environmentId ? (names.get(entry.environmentId) ?? '—') : '—'}</Table.Td>
            <Table.Td>
              <Text size="sm" c={COLORS[entry.kind] === 'red' ? 'red.8' : undefined}>{entry.note ?? ''}</Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
