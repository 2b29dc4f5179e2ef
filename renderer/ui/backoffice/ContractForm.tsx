import { useState } from 'react';
import { ActionIcon, Alert, Button, Checkbox, Group, NumberInput, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { MAX_CONTRACT_LINE_QUANTITY as MAX_LINE_QUANTITY, type ContractDoc, type ContractLine, type Customer, type ServiceDoc } from '../../../sync/schema/index.ts';
import { contractProblems, fieldProblemText, isCalendarDate, keyTaken } from '../../../sync/rules/index.ts';
import { requestTransition } from '../../core/backoffice/backoffice.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useCore } from '../core-context.tsx';
import { centsToInput, parseMoney } from '../pos/money.ts';
import { backofficeCollection } from './ServicesTab.tsx';
import { DayInput } from './DayInput.tsx';
import { newId, today, useRefusalText } from './use-backoffice.ts';

const ids = TEST_IDS.backoffice.contracts;

interface LineDraft {
  id: string;
  serviceId: string | null;
  quantity: number | string;
  fee: string;
  unitPrice: string;
}

/**
 * Create or change a contract (BO-03): customer, one or more service lines (quantity, own fee or unit
 * price), start date and billing day. A new contract is saved as a draft (the server owns state and
 * history) and, when asked, an activate request follows at once, also offline.
 */
export function ContractForm({ contract, customers, services, codes, onDone }: { contract: ContractDoc | null; customers: Customer[]; services: ServiceDoc[]; codes: string[]; onDone(saved: ContractDoc | null): void }) {
  const { t, i18n } = useTranslation();
  const core = useCore();
  const refusalText = useRefusalText();
  const [code, setCode] = useState(contract?.code ?? `CT-${String(codes.length + 1).padStart(4, '0')}`);
  const [customerId, setCustomerId] = useState<string | null>(contract?.customerId ?? null);
  const [startDate, setStartDate] = useState(contract?.startDate ?? today());
  const [billingDay, setBillingDay] = useState<number | string>(contract?.billingDay ?? 10);
  const [activate, setActivate] = useState(true);
  const [lines, setLines] = useState<LineDraft[]>(
    contract?.lines?.map((line) => ({ id: line.id, serviceId: line.serviceId, quantity: line.quantity, fee: line.feeOverrideCents !== undefined ? centsToInput(line.feeOverrideCents) : '', unitPrice: line.unitPriceOverrideCents !== undefined ? centsToInput(line.unitPriceOverrideCents) : '' })) ?? [
      { id: newId(), serviceId: null, quantity: 1, fee: '', unitPrice: '' },
    ],
  );
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const offered = services.filter((s) => (s.active ?? true) || lines.some((line) => line.serviceId === s.id));
  const customerOptions = customers.filter((c) => c.active || c.id === customerId).map((c) => ({ value: c.id, label: c.name }));
  const setLine = (index: number, patch: Partial<LineDraft>) => setLines((all) => all.map((line, i) => (i === index ? { ...line, ...patch } : line)));

  const save = async () => {
    const problems: string[] = [];
    if (!code.trim()) problems.push(t('bo.contracts.errors.code'));
    else if (keyTaken('code', code, codes)) problems.push(t('bo.contracts.errors.codeDuplicate'));
    if (!customerId) problems.push(t('bo.contracts.errors.customer'));
    if (!isCalendarDate(startDate)) problems.push(t('bo.contracts.errors.date'));
    const day = Number(billingDay);
    if (!Number.isInteger(day) || day < 1 || day > 31) problems.push(t('bo.contracts.errors.billingDay'));
    const built: ContractLine[] = [];
    for (const line of lines) {
      const fee = line.fee.trim() ? parseMoney(line.fee) : undefined;
      const unitPrice = line.unitPrice.trim() ? parseMoney(line.unitPrice) : undefined;
      if (fee === null || unitPrice === null) problems.push(t('bo.services.errors.money'));
      if (!line.serviceId) continue;
      // What was typed, checked, never rounded or clamped into something else (sync/schema: 1 to 1,000,000).
      const quantity = Number(line.quantity);
      if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_LINE_QUANTITY) {
        problems.push(t('bo.contracts.errors.quantity', { max: MAX_LINE_QUANTITY.toLocaleString(i18n.language) }));
        continue;
      }
      built.push({ id: line.id, serviceId: line.serviceId, quantity, ...(fee != null ? { feeOverrideCents: fee } : {}), ...(unitPrice != null ? { unitPriceOverrideCents: unitPrice } : {}) });
    }
    if (built.length === 0) problems.push(t('bo.contracts.errors.lines'));
    const doc: ContractDoc = {
      ...(contract ?? {}),
      id: contract?.id ?? newId(),
      kind: 'contract',
      code: code.trim(),
      customerId: customerId ?? undefined,
      lines: built,
      startDate,
      billingDay: day,
      state: contract?.state ?? 'draft',
      history: contract?.history ?? [],
      updatedAt: new Date().toISOString(),
    };
    // The shared rules catch the rest (e.g. a service contracted twice), in the rule's words.
    if (problems.length === 0) problems.push(...contractProblems(doc).map((problem) => fieldProblemText(problem, i18n.language)));
    setErrors(problems);
    if (problems.length) return;
    setBusy(true);
    try {
      await backofficeCollection(core)?.incrementalUpsert(doc);
      const db = core.database();
      const userId = core.state.session?.user.id;
      if (!contract && activate && db && userId) await requestTransition(db, doc, 'activate', { id: newId(), userId, now: new Date().toISOString() });
      onDone(doc);
    } catch (cause) {
      setErrors([refusalText(cause)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="sm">
      {errors.length > 0 && <Alert color="red" data-testid={ids.error}>{errors.join(' ')}</Alert>}
      <Group grow align="flex-start">
        <TextInput label={t('bo.contracts.code')} withAsterisk value={code} onChange={(e) => setCode(e.currentTarget.value)} data-testid={ids.code} />
        <Select label={t('bo.contracts.customer')} withAsterisk searchable data={customerOptions} value={customerId} onChange={setCustomerId} data-testid={ids.customer} />
      </Group>
      <Group grow align="flex-start">
        <DayInput label={t('bo.contracts.startDate')} withAsterisk value={startDate} onChange={setStartDate} data-testid={ids.startDate} />
        <NumberInput label={t('bo.contracts.billingDay')} withAsterisk min={1} max={31} clampBehavior="none" allowDecimal={false} value={billingDay} onChange={setBillingDay} data-testid={ids.billingDay} />
      </Group>
      <Text size="sm" fw={600}>{t('bo.contracts.lines')}</Text>
      <Table withRowBorders={false} verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('bo.contracts.service')}</Table.Th>
            <Table.Th w={90}>{t('bo.contracts.quantity')}</Table.Th>
            <Table.Th w={120}>{t('bo.contracts.feeOverride')}</Table.Th>
            <Table.Th w={120}>{t('bo.contracts.unitPriceOverride')}</Table.Th>
            <Table.Th w={36} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {lines.map((line, index) => (
            <Table.Tr key={line.id}>
              <Table.Td><Select size="xs" searchable data={offered.map((s) => ({ value: s.id, label: `${s.code} · ${s.name ?? ''}` }))} value={line.serviceId} onChange={(value) => setLine(index, { serviceId: value })} data-testid={ids.lineService} /></Table.Td>
              <Table.Td><NumberInput size="xs" min={1} max={MAX_LINE_QUANTITY} clampBehavior="none" allowDecimal={false} value={line.quantity} onChange={(value) => setLine(index, { quantity: value })} data-testid={ids.lineQuantity} /></Table.Td>
              <Table.Td><TextInput size="xs" placeholder="0,00" value={line.fee} onChange={(e) => setLine(index, { fee: e.currentTarget.value })} data-testid={ids.lineFee} /></Table.Td>
              <Table.Td><TextInput size="xs" placeholder="0,00" value={line.unitPrice} onChange={(e) => setLine(index, { unitPrice: e.currentTarget.value })} /></Table.Td>
              <Table.Td>
                <ActionIcon variant="subtle" color="red" size="sm" aria-label={t('bo.contracts.removeLine')} disabled={lines.length === 1} onClick={() => setLines((all) => all.filter((_, i) => i !== index))}><IconTrash size={14} /></ActionIcon>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group justify="space-between">
        <Button variant="light" size="xs" leftSection={<IconPlus size={14} />} onClick={() => setLines((all) => [...all, { id: newId(), serviceId: null, quantity: 1, fee: '', unitPrice: '' }])} data-testid={ids.addLine}>
          {t('bo.contracts.addLine')}
        </Button>
        {!contract && <Checkbox label={t('bo.contracts.actions.activate')} checked={activate} onChange={(e) => setActivate(e.currentTarget.checked)} />}
      </Group>
      <Group justify="flex-end">
        <Button variant="default" onClick={() => onDone(null)}>{t('bo.cancel')}</Button>
        <Button loading={busy} onClick={() => void save()} data-testid={ids.save}>{t('bo.save')}</Button>
      </Group>
    </Stack>
  );
}
