import { useState } from 'react';
import { Alert, Badge, Button, Group, Modal, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { BackofficeAction, ContractActionKind, ContractDoc, ServiceDoc } from '../../../sync/schema/index.ts';
import { ACTIONS_NEEDING_REASON, allowedActions } from '../../../sync/rules/index.ts';
import { displayedState, requestTransition } from '../../core/backoffice/backoffice.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useCore } from '../core-context.tsx';
import { useDateTime, useMoney } from '../pos/use-money.ts';
import { DayInput } from './DayInput.tsx';
import { newId, STATE_COLORS, today, useDay, useRefusals, useRefusalText } from './use-backoffice.ts';

const REQUESTS = ['backofficeActions'] as const;

const ids = TEST_IDS.backoffice.contracts;

/**
 * One contract: its lines, the transition buttons the table of sync/rules/contract-state.ts allows
 * from the displayed state, and the history (who, when, why) with this device's pending requests.
 */
export function ContractDetail({ contract, pending, customerName, services, onEdit }: { contract: ContractDoc; pending: BackofficeAction[]; customerName: string; services: ServiceDoc[]; onEdit(): void }) {
  const { t } = useTranslation();
  const core = useCore();
  const money = useMoney();
  const day = useDay();
  const dateTime = useDateTime();
  const session = core.state.session;
  const state = displayedState(contract, pending, new Date().toISOString());
  const [asking, setAsking] = useState<ContractActionKind | null>(null);
  const who = (userId: string) => (userId === session?.user.id ? session.user.name : userId);
  const serviceOf = (id: string) => services.find((s) => s.id === id);

  return (
    <Stack gap="xs">
      <Group justify="space-between" wrap="nowrap">
        <div>
          <Title order={5}>{contract.code}</Title>
          <Text size="sm" c="dimmed">{customerName} · {day(contract.startDate)} · {t('bo.contracts.billingDay')}: {contract.billingDay}</Text>
        </div>
        <Badge variant="light" style={{ flexShrink: 0 }} color={STATE_COLORS[state]} data-testid={ids.state} data-state={state}>{t(`bo.contracts.states.${state}`)}</Badge>
      </Group>
      <Table withRowBorders={false} verticalSpacing={2} fz="sm">
        <Table.Tbody>
          {(contract.lines ?? []).map((line) => {
            const service = serviceOf(line.serviceId);
            const fee = line.feeOverrideCents ?? service?.monthlyFeeCents;
            const unitPrice = line.unitPriceOverrideCents ?? service?.unitPriceCents;
            return (
              <Table.Tr key={line.id}>
                <Table.Td>{service ? `${service.code} · ${service.name ?? ''}` : line.serviceId}</Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>× {line.quantity}</Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>{fee ? money(fee) : ''}</Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>{unitPrice !== undefined ? `${money(unitPrice)} / ${service?.unit ?? ''}` : ''}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <Group gap="xs">
        {state !== 'cancelled' && <Button size="xs" variant="default" onClick={onEdit}>{t('bo.edit')}</Button>}
        {allowedActions(state).map((action) => (
          <Button key={action} size="xs" variant={action === 'cancel' ? 'outline' : 'light'} color={action === 'cancel' ? 'red' : action === 'suspend' || action === 'deactivate' ? 'orange' : 'teal'} onClick={() => setAsking(action)} data-testid={`${ids.action}-${action}`}>
            {t(`bo.contracts.actions.${action}`)}
          </Button>
        ))}
      </Group>
      <Text size="sm" fw={600} mt="xs">{t('bo.contracts.history')}</Text>
      <Table striped fz="xs" data-testid={ids.history}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('bo.contracts.when')}</Table.Th>
            <Table.Th>{t('bo.contracts.what')}</Table.Th>
            <Table.Th>{t('bo.contracts.who')}</Table.Th>
            <Table.Th>{t('bo.contracts.why')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(contract.history ?? []).map((entry, index) => (
            <Table.Tr key={`${entry.at}-${index}`} data-testid={ids.historyRow} data-action={entry.action}>
              {/* When the user asked (offline requests reach the server later); the server's time on hover. */}
              <Table.Td title={dateTime(entry.at)}>{dateTime(entry.requestedAt ?? entry.at)}</Table.Td>
              <Table.Td>{t(`bo.contracts.actions.${entry.action}`)} → {t(`bo.contracts.states.${entry.to}`)}{entry.effectiveDate ? ` (${day(entry.effectiveDate)})` : ''}</Table.Td>
              <Table.Td>{who(entry.userId)}</Table.Td>
              <Table.Td>{entry.reason}</Table.Td>
            </Table.Tr>
          ))}
          {pending.map((request) => (
            <Table.Tr key={request.id} data-testid={ids.pendingRow} data-action={request.kind} style={{ fontStyle: 'italic' }}>
              <Table.Td>{dateTime(request.requestedAt)}</Table.Td>
              <Table.Td>{t(`bo.contracts.actions.${request.kind}`)} <Text span size="xs" c="orange">({t('bo.contracts.pending')})</Text></Table.Td>
              <Table.Td>{who(request.userId)}</Table.Td>
              <Table.Td>{request.reason}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {(contract.history ?? []).length === 0 && pending.length === 0 && <Text size="xs" c="dimmed">{t('bo.contracts.noHistory')}</Text>}
      <Modal opened={asking !== null} onClose={() => setAsking(null)} title={asking ? t(`bo.contracts.actions.${asking}`) : ''}>
        {asking && <TransitionForm contract={contract} action={asking} onDone={() => setAsking(null)} />}
      </Modal>
    </Stack>
  );
}

/** The reason where the rule needs one, the effective date of a cancellation, and a confirmation before cancelling. */
function TransitionForm({ contract, action, onDone }: { contract: ContractDoc; action: ContractActionKind; onDone(): void }) {
  const { t } = useTranslation();
  const core = useCore();
  const refusalText = useRefusalText();
  const refused = useRefusals(REQUESTS);
  const [reason, setReason] = useState('');
  const [effectiveDate, setEffectiveDate] = useState(today());
  const [error, setError] = useState<string | null>(null);
  const needsReason = ACTIONS_NEEDING_REASON.includes(action);
  const submit = async () => {
    const db = core.database();
    const userId = core.state.session?.user.id;
    if (!db || !userId) return;
    try {
      // A request the server refused is not pending: it decides nothing about what is allowed now.
      const refusedIds = new Set(refused.map((entry) => entry.documentId));
      await requestTransition(db, contract, action, { id: newId(), userId, now: new Date().toISOString(), reason, ...(action === 'cancel' ? { effectiveDate } : {}) }, refusedIds);
      onDone();
    } catch (cause) {
      // The rule's own words: e.g. which transitions are allowed, or that a reason is missing.
      setError(refusalText(cause));
    }
  };
  return (
    <Stack gap="sm">
      {action === 'cancel' && <Alert color="red">{t('bo.contracts.confirmCancel')}</Alert>}
      {error && <Alert color="red" data-testid={ids.error}>{error}</Alert>}
      {needsReason && <Textarea label={t('bo.contracts.reason')} withAsterisk value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid={ids.reason} autoFocus />}
      {action === 'cancel' && <DayInput label={t('bo.contracts.effectiveDate')} value={effectiveDate} onChange={setEffectiveDate} data-testid={ids.effectiveDate} />}
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>{t('bo.cancel')}</Button>
        <Button color={action === 'cancel' ? 'red' : undefined} onClick={() => void submit()} data-testid={ids.confirm}>{t(`bo.contracts.actions.${action}`)}</Button>
      </Group>
    </Stack>
  );
}
