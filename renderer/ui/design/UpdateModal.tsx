import { useState } from 'react';
import { Alert, Badge, Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DesignEnvironmentDoc } from '../../../sync/schema/index.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { diffItems, type ItemChangeKind } from '../../core/design/diff.ts';
import { useMoney } from '../pos/use-money.ts';
import { useDesign, useDesignErrorText } from './design-context.tsx';

const ids = TEST_IDS.design.update;
const COLORS: Record<ItemChangeKind, string> = { added: 'green', changed: 'yellow', removed: 'red', unchanged: 'gray' };

/**
 * "What changes" before updating (DES-08, DES-09): the design items of the announced save against the
 * current ones, item by item; hand-added items stay. Confirming asks the server for the new version.
 */
export function UpdateModal({ env, opened, onClose }: { env: DesignEnvironmentDoc; opened: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const { design } = useDesign();
  const money = useMoney();
  const errorText = useDesignErrorText();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = env.latestSave;
  const diff = diffItems(env.items, save?.items ?? []);
  const hand = env.items.filter((item) => item.origin === 'manual').length;

  const confirm = async () => {
    if (!design) return;
    setBusy(true);
    setError(null);
    try {
      await design.updateEnvironment(env.id, save?.designRevision ?? env.latestDesignRevision);
      onClose();
    } catch (cause) {
      setError(errorText(cause));
    } finally {
      setBusy(false);
    }
  };

  const cell = (value: { quantity: number; unitPriceCents: number; totalCents: number } | undefined) =>
    value ? `${value.quantity} × ${money(value.unitPriceCents)} = ${money(value.totalCents)}` : '—';

  return (
    <Modal opened={opened} onClose={onClose} title={t('design.update.title', { name: env.name })} size="xl">
      <Stack gap="sm" data-testid={ids.modal}>
        <Text size="sm">
          {save
            ? t('design.update.summary', { option: save.optionName, revision: save.designRevision, added: diff.added, changed: diff.changed, removed: diff.removed })
            : t('design.update.noDetail')}
        </Text>
        {hand > 0 && <Alert color="blue" variant="light">{t('design.update.handKept', { count: hand })}</Alert>}
        {save && (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('design.update.change')}</Table.Th>
                <Table.Th>{t('design.items.description')}</Table.Th>
                <Table.Th>{t('design.update.before')}</Table.Th>
                <Table.Th>{t('design.update.after')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {diff.changes.map((change) => (
                <Table.Tr key={change.key} data-testid={ids.change} data-kind={change.kind} data-key={change.key} style={{ opacity: change.kind === 'unchanged' ? 0.6 : 1 }}>
                  <Table.Td>
                    <Badge color={COLORS[change.kind]} variant="light">{t(`design.update.kinds.${change.kind}`)}</Badge>
                  </Table.Td>
                  <Table.Td>{change.description}</Table.Td>
                  <Table.Td>{cell(change.before)}</Table.Td>
                  <Table.Td>{cell(change.after)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {save && <Text size="sm" fw={600}>{t('design.update.delta', { delta: money(diff.deltaCents) })}</Text>}
        {error && <Alert color="red">{error}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button onClick={() => void confirm()} loading={busy} data-testid={ids.confirm} data-autofocus>
            {t('design.update.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
