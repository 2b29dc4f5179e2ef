import { useState } from 'react';
import { Alert, Button, Group, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { BRAZIL_UFS, type BrazilUf, type Customer } from '../../../sync/schema/index.ts';
import { formatCep, formatPhone, formatTaxId, isValidCep, isValidEmail, isValidPhone, isValidTaxId, normalizeTaxId } from '../../../sync/rules/index.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useCore } from '../core-context.tsx';
import { useRefusalText } from './use-backoffice.ts';

const ids = TEST_IDS.backoffice.customers;

/** Add or change a customer (BO-01): CPF/CNPJ (also alphanumeric), phone, e-mail, CEP and UF checked with the server's rules. */
export function CustomerEditor({ customer, onDone }: { customer: Customer | null; onDone: (saved: boolean) => void }) {
  const core = useCore();
  const { t } = useTranslation();
  const refusalText = useRefusalText();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({
    initialValues: {
      name: customer?.name ?? '',
      taxId: customer ? formatTaxId(customer.taxId) : '',
      email: customer?.email ?? '',
      phone: customer?.phone ? formatPhone(customer.phone) : '',
      cep: customer?.cep ? formatCep(customer.cep) : '',
      uf: customer?.uf ?? '',
      city: customer?.city ?? '',
      address: customer?.address ?? '',
    },
    validate: {
      name: (value) => (value.trim() ? null : t('bo.customers.errors.name')),
      taxId: (value) => {
        // Letters count: the alphanumeric CNPJ (July 2026).
        const chars = normalizeTaxId(value) ?? '';
        if (chars.length !== 11 && chars.length !== 14) return t('bo.customers.errors.taxIdLength');
        return isValidTaxId(chars) ? null : t('bo.customers.errors.taxIdInvalid');
      },
      email: (value) => (!value.trim() || isValidEmail(value) ? null : t('bo.customers.errors.email')),
      phone: (value) => (!value.trim() || isValidPhone(value) ? null : t('bo.customers.errors.phone')),
      cep: (value) => (!value.trim() || isValidCep(value) ? null : t('bo.customers.errors.cep')),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setBusy(true);
    setError(null);
    try {
      // A second record for the same CPF/CNPJ would split the customer's history: point to the first.
      const existing = await core.customers()?.findOne({ selector: { taxId: normalizeTaxId(values.taxId) ?? values.taxId } }).exec();
      if (existing && existing.id !== customer?.id) {
        form.setFieldError('taxId', t('bo.customers.errors.taxIdDuplicate', { name: existing.name }));
        return;
      }
      await core.saveCustomer({ ...values, uf: (values.uf || undefined) as BrazilUf | undefined, active: customer?.active ?? true, deactivationReason: customer?.deactivationReason }, customer?.id);
      onDone(true);
    } catch (cause) {
      setError(refusalText(cause));
    } finally {
      setBusy(false);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {error && <Alert color="red">{error}</Alert>}
        <TextInput label={t('bo.customers.name')} withAsterisk data-testid={ids.name} autoFocus {...form.getInputProps('name')} />
        <Group grow align="flex-start">
          <TextInput label={t('bo.customers.taxId')} withAsterisk data-testid={ids.taxId} {...form.getInputProps('taxId')} onBlur={() => form.setFieldValue('taxId', formatTaxId(form.getValues().taxId))} />
          <TextInput label={t('bo.customers.phone')} type="tel" data-testid={ids.phone} {...form.getInputProps('phone')} onBlur={() => form.setFieldValue('phone', formatPhone(form.getValues().phone))} />
        </Group>
        <TextInput label={t('bo.customers.email')} type="email" data-testid={ids.email} {...form.getInputProps('email')} />
        <Group grow align="flex-start">
          <TextInput label={t('bo.customers.cep')} data-testid={ids.cep} {...form.getInputProps('cep')} onBlur={() => form.setFieldValue('cep', formatCep(form.getValues().cep))} />
          <Select label={t('bo.customers.uf')} data={[...BRAZIL_UFS]} searchable clearable data-testid={ids.uf} {...form.getInputProps('uf')} />
          <TextInput label={t('bo.customers.city')} data-testid={ids.city} {...form.getInputProps('city')} />
        </Group>
        <TextInput label={t('bo.customers.address')} data-testid={ids.address} {...form.getInputProps('address')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onDone(false)}>{t('bo.cancel')}</Button>
          <Button type="submit" loading={busy} data-testid={ids.save}>{t('bo.save')}</Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Deactivation with a reason (BO-01): the customer is kept; the server refuses it while receivables are open (shown as a refusal). */
export function DeactivateCustomer({ customer, onDone }: { customer: Customer; onDone: (saved: boolean) => void }) {
  const core = useCore();
  const { t } = useTranslation();
  const refusalText = useRefusalText();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    if (!reason.trim()) return setError(t('bo.customers.errors.reason'));
    try {
      const { id, name, taxId, email, phone, city } = customer;
      await core.saveCustomer({ name, taxId, email, phone, city, active: false, deactivationReason: reason }, id);
      onDone(true);
    } catch (cause) {
      setError(refusalText(cause));
    }
  };
  return (
    <Stack gap="sm">
      <Text size="sm">{customer.name} · {formatTaxId(customer.taxId)}</Text>
      <Text size="sm" c="dimmed">{t('bo.customers.deactivateHint')}</Text>
      {error && <Alert color="red">{error}</Alert>}
      <Textarea label={t('bo.customers.reason')} withAsterisk value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid={ids.reason} autoFocus />
      <Group justify="flex-end">
        <Button variant="default" onClick={() => onDone(false)}>{t('bo.cancel')}</Button>
        <Button color="red" onClick={() => void submit()} data-testid={ids.save}>{t('bo.customers.deactivate')}</Button>
      </Group>
    </Stack>
  );
}
