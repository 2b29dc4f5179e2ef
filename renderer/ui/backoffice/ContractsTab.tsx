import { useMemo, useState } from 'react';
import { Badge, Box, Button, Group, Modal, Paper, ScrollArea, Table, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { BackofficeAction, ContractDoc } from '../../../sync/schema/index.ts';
import { displayedState, withoutRefused } from '../../core/backoffice/backoffice.ts';
import { localRefusalDetail } from '../../core/backoffice/refusal-detail.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { ContractDetail } from './ContractDetail.tsx';
import { ContractForm } from './ContractForm.tsx';
import { Refusals } from './Refusals.tsx';
import { STATE_COLORS, useBackofficeDocs, useContractRequests, useCustomers, useDay, useRefusals } from './use-backoffice.ts';
import { toast } from '../toast.ts';
import classes from './backoffice.module.css';

const ids = TEST_IDS.backoffice.contracts;
const REQUESTS = ['backofficeActions'] as const;

/** This device's requests not yet in the contract's history, oldest first: they make the displayed state. */
export function pendingOf(contract: ContractDoc, requests: readonly BackofficeAction[]): BackofficeAction[] {
  const applied = new Set((contract.history ?? []).map((entry) => entry.requestId));
  return requests.filter((r) => r.contractId === contract.id && !applied.has(r.id)).sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
}

/** BO-03: contracts with their lines, state (including this device's pending requests) and history. */
export function ContractsTab() {
  const { t, i18n } = useTranslation();
  const day = useDay();
  const customers = useCustomers();
  const { services, contracts } = useBackofficeDocs();
  const allRequests = useContractRequests();
  const refusedRequests = useRefusals(REQUESTS);
  // A request the server refused is not pending any more: it is listed among the refusals instead.
  const requests = useMemo(() => withoutRefused(allRequests, new Set(refusedRequests.map((entry) => entry.documentId))), [allRequests, refusedRequests]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [editing, setEditing] = useState<ContractDoc | 'new' | null>(null);
  const customerName = useMemo(() => new Map(customers.map((c) => [c.id, c.name])), [customers]);
  const contractById = useMemo(() => new Map(contracts.map((c) => [c.id, c])), [contracts]);
  const selected = contracts.find((c) => c.id === selectedId) ?? null;
  const now = new Date().toISOString();

  return (
    <Box style={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
      <Group justify="flex-end" mb="xs">
        <Button leftSection={<IconPlus size={16} />} size="sm" onClick={() => setEditing('new')} data-testid={ids.add}>{t('bo.contracts.add')}</Button>
      </Group>
      <Refusals
        collections={['backoffice', 'backofficeActions']}
        // A refused request is named by its contract (and its kind), not by the request's own id.
        label={(id, entry) => {
          const recordId = String(entry.document.contractId ?? entry.document.id ?? id);
          const code = contracts.find((c) => c.id === recordId)?.code ?? services.find((s) => s.id === recordId)?.code ?? recordId;
          return entry.collection === 'backofficeActions' ? `${code} (${t(`bo.contracts.actions.${String(entry.document.kind)}`, { defaultValue: String(entry.document.kind) })})` : code;
        }}
        detail={(entry) => localRefusalDetail(entry, i18n.language, contractById)}
        fix={(entry) => (entry.collection === 'backoffice' && entry.document.kind === 'contract' && entry.document._deleted !== true ? () => setEditing(entry.document as unknown as ContractDoc) : null)}
      />
      <Group align="stretch" gap="sm" wrap="nowrap" style={{ flex: 1, minHeight: 0 }}>
        <ScrollArea className={classes.list} style={{ flex: '1 1 40%', minWidth: 260 }}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('bo.contracts.code')}</Table.Th>
                <Table.Th>{t('bo.contracts.customer')}</Table.Th>
                {/* Shown when the list is wide enough (contracts.module.css); the open contract shows them anyway. */}
                <Table.Th className={classes.wide}>{t('bo.contracts.startDate')}</Table.Th>
                <Table.Th className={classes.wide}>{t('bo.contracts.lines')}</Table.Th>
                <Table.Th className={classes.fit}>{t('bo.contracts.state')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {contracts.map((contract) => {
                const pending = pendingOf(contract, requests);
                const state = displayedState(contract, pending, now);
                return (
                  <Table.Tr key={contract.id} onClick={() => setSelectedId(contract.id)} style={{ cursor: 'pointer' }} bg={contract.id === selectedId ? 'var(--mantine-color-blue-light)' : undefined} data-testid={ids.row} data-contract-id={contract.id} data-code={contract.code} data-state={state}>
                    <Table.Td>{contract.code}</Table.Td>
                    <Table.Td>{customerName.get(contract.customerId ?? '') ?? '—'}</Table.Td>
                    <Table.Td className={classes.wide}>{day(contract.startDate)}</Table.Td>
                    <Table.Td className={classes.wide}>{contract.lines?.length ?? 0}</Table.Td>
                    <Table.Td className={classes.fit}>
                      <Badge size="sm" variant="light" color={STATE_COLORS[state]}>{t(`bo.contracts.states.${state}`)}</Badge>
                      {pending.length > 0 && <Text size="xs" c="orange">{t('bo.contracts.pending')}</Text>}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          {contracts.length === 0 && <Text size="sm" c="dimmed" p="md">{t('bo.empty')}</Text>}
        </ScrollArea>
        <Paper withBorder p="sm" style={{ flex: '1 1 60%', minWidth: 320, overflow: 'auto' }}>
          {selected ? (
            <ContractDetail contract={selected} pending={pendingOf(selected, requests)} customerName={customerName.get(selected.customerId ?? '') ?? '—'} services={services} onEdit={() => setEditing(selected)} />
          ) : (
            <Text size="sm" c="dimmed">{t('bo.contracts.select')}</Text>
          )}
        </Paper>
      </Group>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? t('bo.contracts.addTitle') : t('bo.contracts.editTitle')} size="xl">
        {editing !== null && (
          <ContractForm
            contract={editing === 'new' ? null : editing}
            customers={customers}
            services={services}
            codes={contracts.filter((c) => editing === 'new' || c.id !== editing.id).map((c) => c.code)}
            onDone={(saved) => {
              setEditing(null);
              if (saved) {
                setSelectedId(saved.id);
                toast('bo-contracts', t('bo.saved'), 'teal');
              }
            }}
          />
        )}
      </Modal>
    </Box>
  );
}
