import { useState } from 'react';
import { ActionIcon, Alert, Badge, Box, Button, Group, Modal, NumberInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPencil, IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { RxCollection } from 'rxdb';
import { keyTaken } from '../../../sync/rules/index.ts';
import type { BackofficeDoc, ServiceDoc } from '../../../sync/schema/index.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useCore } from '../core-context.tsx';
import { centsToInput, parseMoney } from '../pos/money.ts';
import { useMoney } from '../pos/use-money.ts';
import { Refusals } from './Refusals.tsx';
import { newId, parseWhole, useBackofficeDocs, useQuantity, useRefusalText } from './use-backoffice.ts';
import { toast } from '../toast.ts';
import classes from './backoffice.module.css';

const ids = TEST_IDS.backoffice.services;

/** BO-02: services with a monthly fee and/or a metered price; one a contract uses is deactivated, not deleted. */
export function ServicesTab() {
  const { t } = useTranslation();
  const core = useCore();
  const money = useMoney();
  const quantity = useQuantity();
  const refusalText = useRefusalText();
  const { services } = useBackofficeDocs();
  const [editing, setEditing] = useState<ServiceDoc | 'new' | null>(null);

  const toggle = async (service: ServiceDoc) => {
    try {
      await backofficeCollection(core)?.incrementalUpsert({ ...service, active: !(service.active ?? true), updatedAt: new Date().toISOString() });
    } catch (error) {
      toast('bo-services', refusalText(error), 'red');
    }
  };

  return (
    <Box style={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
      <Group justify="space-between" mb="xs">
        <Text size="sm" c="dimmed">{t('bo.services.inUseHint')}</Text>
        <Button leftSection={<IconPlus size={16} />} size="sm" onClick={() => setEditing('new')} data-testid={ids.add}>{t('bo.services.add')}</Button>
      </Group>
      <Refusals collections={['backoffice']} label={(id) => services.find((s) => s.id === id)?.code ?? id} fix={(entry) => (entry.document.kind === 'service' && entry.document._deleted !== true ? () => setEditing(entry.document as unknown as ServiceDoc) : null)} />
      <Box style={{ overflow: 'auto', flex: 1 }}>
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('bo.services.code')}</Table.Th>
              <Table.Th>{t('bo.services.name')}</Table.Th>
              <Table.Th ta="right">{t('bo.services.fee')}</Table.Th>
              <Table.Th ta="right">{t('bo.services.unitPrice')}</Table.Th>
              <Table.Th ta="right">{t('bo.services.included')}</Table.Th>
              <Table.Th />
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {services.map((service) => {
              const active = service.active ?? true;
              return (
                <Table.Tr key={service.id} data-testid={ids.row} data-service-id={service.id} data-code={service.code} style={{ opacity: active ? 1 : 0.55 }}>
                  <Table.Td>{service.code}</Table.Td>
                  <Table.Td>{service.name}</Table.Td>
                  <Table.Td ta="right">{service.monthlyFeeCents ? money(service.monthlyFeeCents) : '—'}</Table.Td>
                  <Table.Td ta="right">{service.unitPriceCents !== undefined ? `${money(service.unitPriceCents)} / ${service.unit ?? ''}` : '—'}</Table.Td>
                  <Table.Td ta="right">{service.includedQuantity ? `${quantity(service.includedQuantity)} ${service.unit ?? ''}` : '—'}</Table.Td>
                  <Table.Td className={classes.fit}><Badge size="xs" variant="light" color={active ? 'teal' : 'gray'}>{active ? t('bo.active') : t('bo.inactive')}</Badge></Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      <ActionIcon variant="subtle" size="sm" aria-label={t('bo.edit')} onClick={() => setEditing(service)} data-testid={ids.edit}><IconPencil size={16} /></ActionIcon>
                      <Button size="compact-xs" variant="subtle" color={active ? 'red' : 'teal'} onClick={() => void toggle(service)} data-testid={ids.toggle}>
                        {active ? t('bo.services.deactivate') : t('bo.services.activate')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        {services.length === 0 && <Text size="sm" c="dimmed" p="md">{t('bo.empty')}</Text>}
      </Box>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? t('bo.services.addTitle') : t('bo.services.editTitle')}>
        {editing !== null && <ServiceForm service={editing === 'new' ? null : editing} codes={services.filter((s) => s.id !== (editing === 'new' ? '' : editing.id)).map((s) => s.code)} onDone={() => setEditing(null)} />}
      </Modal>
    </Box>
  );
}

export function backofficeCollection(core: ReturnType<typeof useCore>): RxCollection<BackofficeDoc> | null {
  return (core.database()?.collections.backoffice as RxCollection<BackofficeDoc> | undefined) ?? null;
}

function ServiceForm({ service, codes, onDone }: { service: ServiceDoc | null; codes: string[]; onDone(): void }) {
  const { t } = useTranslation();
  const core = useCore();
  const refusalText = useRefusalText();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: {
      code: service?.code ?? '',
      name: service?.name ?? '',
      fee: service?.monthlyFeeCents ? centsToInput(service.monthlyFeeCents) : '',
      unit: service?.unit ?? '',
      unitPrice: service?.unitPriceCents !== undefined ? centsToInput(service.unitPriceCents) : '',
      included: service?.includedQuantity ?? ('' as number | string),
    },
    validate: {
      code: (value) => (!value.trim() ? t('bo.services.errors.code') : keyTaken('code', value, codes) ? t('bo.services.errors.codeDuplicate') : null),
      name: (value) => (value.trim() ? null : t('bo.required')),
      fee: (value) => (!value.trim() || parseMoney(value) !== null ? null : t('bo.services.errors.money')),
      unitPrice: (value, values) => {
        if (value.trim() && parseMoney(value) === null) return t('bo.services.errors.money');
        if (!value.trim() && !(parseMoney(values.fee) ?? 0)) return t('bo.services.errors.priceNeeded');
        return null;
      },
      unit: (value, values) => (values.unitPrice.trim() && !value.trim() ? t('bo.services.errors.unit') : null),
      included: (value) => (value === '' || parseWhole(String(value)) !== null ? null : t('bo.services.errors.whole')),
    },
  });
  const submit = form.onSubmit(async (values) => {
    const fee = parseMoney(values.fee);
    const unitPrice = values.unitPrice.trim() ? parseMoney(values.unitPrice) : null;
    const included = values.included === '' ? null : parseWhole(String(values.included));
    const doc: ServiceDoc = {
      id: service?.id ?? newId(),
      kind: 'service',
      code: values.code.trim(),
      name: values.name.trim(),
      active: service?.active ?? true,
      ...(fee ? { monthlyFeeCents: fee } : {}),
      ...(unitPrice !== null ? { unitPriceCents: unitPrice, unit: values.unit.trim() } : {}),
      ...(included ? { includedQuantity: included } : {}),
      updatedAt: new Date().toISOString(),
    };
    try {
      await backofficeCollection(core)?.incrementalUpsert(doc);
      toast('bo-services', t('bo.saved'), 'teal');
      onDone();
    } catch (cause) {
      setError(refusalText(cause));
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {error && <Alert color="red">{error}</Alert>}
        <Group grow align="flex-start">
          <TextInput label={t('bo.services.code')} withAsterisk data-testid={ids.code} autoFocus {...form.getInputProps('code')} />
          <TextInput label={t('bo.services.name')} withAsterisk data-testid={ids.name} {...form.getInputProps('name')} />
        </Group>
        <TextInput label={t('bo.services.fee')} placeholder="0,00" leftSection="R$" data-testid={ids.fee} {...form.getInputProps('fee')} />
        <Group grow align="flex-start">
          <TextInput label={t('bo.services.unitPrice')} placeholder="0,00" leftSection="R$" data-testid={ids.unitPrice} {...form.getInputProps('unitPrice')} />
          <TextInput label={t('bo.services.unit')} placeholder="min, kWh, GB" data-testid={ids.unit} {...form.getInputProps('unit')} />
          <NumberInput label={t('bo.services.included')} min={0} allowDecimal={false} thousandSeparator="." decimalSeparator="," data-testid={ids.included} {...form.getInputProps('included')} />
        </Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>{t('bo.cancel')}</Button>
          <Button type="submit" data-testid={ids.save}>{t('bo.save')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
