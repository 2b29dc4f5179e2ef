import { useEffect, useState } from 'react';
import { Alert, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConsumptionRecord, ContractDoc, ServiceDoc } from '../../../sync/schema/index.ts';
import { implausibleUsage, isCalendarDate, periodOf, usageWarningText } from '../../../sync/rules/index.ts';
import { BackofficeRefused, saveConsumption, saveCorrection, standingQuantity } from '../../core/backoffice/backoffice.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useCore } from '../core-context.tsx';
import type { ConsumptionEditing } from './ConsumptionTab.tsx';
import { DayInput } from './DayInput.tsx';
import { newId, parseWhole, today, usePeriod, useRefusalText } from './use-backoffice.ts';
import { toast } from '../toast.ts';

const ids = TEST_IDS.backoffice.consumption;

/**
 * Adds or changes a usage record, or makes the correcting record of a billed one (BO-04). The device
 * runs the server's rules first (sync/rules/consumption.ts), so a refusal shows here with the rule's
 * message; when the period is billed, the form offers the correction. An implausible quantity
 * (sync/rules/usage-plausibility.ts) is shown as a warning first: the next save keeps it as it is.
 */
export function ConsumptionForm({ editing, contracts, services, onCorrect, onDone }: { editing: ConsumptionEditing; contracts: ContractDoc[]; services: ServiceDoc[]; onCorrect(record: ConsumptionRecord): void; onDone(): void }) {
  const { t, i18n } = useTranslation();
  const core = useCore();
  const period = usePeriod();
  const refusalText = useRefusalText();
  const original = editing.mode === 'new' ? null : editing.record;
  const [contractId, setContractId] = useState<string | null>(original?.contractId ?? (contracts.length === 1 ? contracts[0]!.id : null));
  const [serviceId, setServiceId] = useState<string | null>(original?.serviceId ?? null);
  const [quantity, setQuantity] = useState(original ? String(original.quantity) : '');
  // A correction starts from what the record counts now, its earlier corrections included.
  const [standing, setStanding] = useState<number | null>(null);
  useEffect(() => {
    const db = core.database();
    if (editing.mode !== 'correct' || !db) return;
    let live = true;
    void standingQuantity(db, editing.record).then((counted) => {
      if (!live) return;
      setStanding(counted);
      setQuantity(String(counted));
    });
    return () => {
      live = false;
    };
  }, [editing]);
  const [date, setDate] = useState(editing.mode === 'correct' ? today() : (original?.date ?? today()));
  const [description, setDescription] = useState(original?.description ?? '');
  const [error, setError] = useState<{ text: string; billed: boolean } | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  // The quantity (as typed, with its service) the user was warned about: saving it again confirms it.
  const [warned, setWarned] = useState<{ quantity: string; serviceId: string; text: string } | null>(null);
  const contract = contracts.find((c) => c.id === contractId);
  // The warning stands while the quantity and service are the ones it was given for.
  const confirming = warned !== null && warned.quantity === quantity && warned.serviceId === serviceId;
  const lineServices = services.filter((s) => contract?.lines?.some((line) => line.serviceId === s.id));

  const save = async () => {
    const db = core.database();
    if (!db) return;
    const amount = parseWhole(quantity, editing.mode === 'correct');
    const problems: Record<string, string> = {};
    if (!contractId) problems.contract = t('bo.consumption.errors.contract');
    if (!serviceId) problems.service = t('bo.consumption.errors.service');
    if (amount === null) problems.quantity = t('bo.consumption.errors.whole');
    if (!isCalendarDate(date)) problems.date = t('bo.consumption.errors.date');
    setFieldErrors(problems);
    if (Object.keys(problems).length || amount === null || !contractId || !serviceId) return;
    const warning = implausibleUsage(amount, services.find((s) => s.id === serviceId));
    if (warning && (warned?.quantity !== quantity || warned.serviceId !== serviceId)) {
      setWarned({ quantity, serviceId, text: usageWarningText(warning, i18n.language) });
      return;
    }
    const now = new Date().toISOString();
    const userId = core.state.session?.user.id;
    try {
      if (editing.mode === 'correct') {
        await saveCorrection(db, editing.record, amount, contract, { id: newId(), date, updatedAt: now, ...(userId ? { userId } : {}) });
      } else {
        const id = original?.id ?? newId();
        const record: ConsumptionRecord = {
          id,
          contractId,
          serviceId,
          quantity: amount,
          date,
          externalId: original?.externalId ?? id,
          updatedAt: now,
          ...(description.trim() ? { description: description.trim() } : {}),
          ...(original?.correctsId ? { correctsId: original.correctsId } : {}),
          ...(userId ? { userId } : {}),
        };
        await saveConsumption(db, record, contract);
      }
      toast('bo-consumption', t('bo.saved'), 'teal');
      onDone();
    } catch (cause) {
      setError({ text: refusalText(cause), billed: cause instanceof BackofficeRefused && cause.error.code === 'billed_period' && editing.mode === 'edit' });
    }
  };

  return (
    <Stack gap="sm">
      {editing.mode === 'correct' && <Alert color="grape" data-testid={ids.correctHint} data-standing={standing ?? undefined}>{t('bo.consumption.correctHint', { period: period(periodOf(editing.record.date)), quantity: standing ?? editing.record.quantity })}</Alert>}
      {error && (
        <Alert color="red" data-testid={ids.error}>
          <Text size="sm">{error.text}</Text>
          {error.billed && original && (
            <Button size="xs" mt="xs" variant="light" color="grape" onClick={() => onCorrect(original)} data-testid={ids.correct}>{t('bo.consumption.correct')}</Button>
          )}
        </Alert>
      )}
      <Group grow align="flex-start">
        <Select label={t('bo.consumption.contract')} withAsterisk searchable disabled={editing.mode === 'correct'} data={contracts.map((c) => ({ value: c.id, label: c.code }))} value={contractId} onChange={(value) => { setContractId(value); setServiceId((current) => (keepsService(contracts, value, current) ? current : null)); }} error={fieldErrors.contract} data-testid={ids.contract} />
        <Select label={t('bo.consumption.service')} withAsterisk disabled={editing.mode === 'correct'} data={lineServices.map((s) => ({ value: s.id, label: `${s.code} · ${s.name ?? ''}` }))} value={serviceId} onChange={setServiceId} error={fieldErrors.service} data-testid={ids.service} />
      </Group>
      <Group grow align="flex-start">
        <TextInput label={editing.mode === 'correct' ? t('bo.consumption.correctQuantity') : t('bo.consumption.quantity')} withAsterisk inputMode="numeric" value={quantity} onChange={(e) => setQuantity(e.currentTarget.value)} error={fieldErrors.quantity} data-testid={ids.quantity} autoFocus />
        <DayInput label={t('bo.consumption.date')} withAsterisk value={date} onChange={setDate} error={fieldErrors.date} data-testid={ids.date} />
      </Group>
      {editing.mode !== 'correct' && <TextInput label={t('bo.consumption.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} data-testid={ids.description} />}
      {confirming && <Alert color="yellow" data-testid={ids.warning}>{warned.text}</Alert>}
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>{t('bo.cancel')}</Button>
        <Button color={confirming ? 'yellow' : undefined} onClick={() => void save()} data-testid={ids.save} data-confirming={confirming || undefined}>{confirming ? t('bo.consumption.saveAnyway') : t('bo.save')}</Button>
      </Group>
    </Stack>
  );
}

/** Moving a record to another contract keeps its service when that contract has it too. */
function keepsService(contracts: readonly ContractDoc[], contractId: string | null, serviceId: string | null): boolean {
  return !!serviceId && !!contracts.find((c) => c.id === contractId)?.lines?.some((line) => line.serviceId === serviceId);
}
