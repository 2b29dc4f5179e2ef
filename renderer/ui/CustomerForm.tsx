import { useState } from 'react';
import { Alert, Badge, Button, Group, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../sync/schema/index.ts';
import { TEST_IDS } from '../test-ids.ts';
import { formatTaxId, isValidTaxId, normalizeTaxId } from '../../sync/rules/index.ts';
import { useCore, useErrorText } from './core-context.tsx';
import { formatPhone, phoneProblem } from './phone.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function CustomerForm({ customer, onDone }: { customer: Customer | null; onDone: (saved: Customer | null) => void }) {
  const core = useCore();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({
    initialValues: {
      name: customer?.name ?? '',
      taxId: customer ? formatTaxId(customer.taxId) : '',
      email: customer?.email ?? '',
      phone: customer?.phone ? formatPhone(customer.phone) : '',
      city: customer?.city ?? '',
    },
    validate: {
      name: (value) => (value.trim() ? null : t('customers.errors.nameRequired')),
      taxId: (value) => {
        // Letters count: the alphanumeric CNPJ (July 2026).
        const chars = normalizeTaxId(value) ?? '';
        if (chars.length !== 11 && chars.length !== 14) return t('customers.errors.taxIdLength');
        return isValidTaxId(chars) ? null : t('customers.errors.taxIdInvalid');
      },
      email: (value) => (!value.trim() || EMAIL.test(value.trim()) ? null : t('customers.errors.email')),
      phone: (value) => (phoneProblem(value) ? t('customers.errors.phone') : null),
    },
    // A message goes as soon as the field is right again, not only on the next save.
    validateInputOnChange: true,
  });

  const submit = form.onSubmit(async (values) => {
    setBusy(true);
    setError(null);
    try {
      // A second record for the same CPF/CNPJ would split the customer's history: point to the first.
      const existing = await core.customers()?.findOne({ selector: { taxId: normalizeTaxId(values.taxId) ?? values.taxId } }).exec();
      if (existing && existing.id !== customer?.id) {
        form.setFieldError('taxId', t('customers.errors.taxIdDuplicate', { name: existing.name }));
        return;
      }
      onDone(await core.saveCustomer(values, customer?.id));
    } catch (cause) {
      setError(errorText(cause));
    } finally {
      setBusy(false);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {error && <Alert color="red">{error}</Alert>}
        <TextInput label={t('customers.name')} withAsterisk data-testid={TEST_IDS.customers.name} autoFocus {...form.getInputProps('name')} />
        <TextInput
          label={t('customers.taxId')}
          withAsterisk
          inputMode="numeric"
          data-testid={TEST_IDS.customers.taxId}
          {...form.getInputProps('taxId')}
          onBlur={() => form.setFieldValue('taxId', formatTaxId(form.getValues().taxId))}
        />
        <TextInput label={t('customers.email')} type="email" inputMode="email" data-testid={TEST_IDS.customers.email} {...form.getInputProps('email')} />
        <Group grow>
          <TextInput
            label={t('customers.phone')}
            type="tel"
            placeholder="(11) 98765-4321"
            data-testid={TEST_IDS.customers.phone}
            {...form.getInputProps('phone')}
            onBlur={() => form.setFieldValue('phone', formatPhone(form.getValues().phone))}
          />
          <TextInput label={t('customers.city')} data-testid={TEST_IDS.customers.city} {...form.getInputProps('city')} />
        </Group>
        {/* Deactivating (with a reason) and reactivating are the back office's (BO-01, Retaguarda → Clientes): saving here keeps the customer's state. */}
        {customer && !customer.active && <Badge color="gray" variant="light">{t('customers.inactive')}</Badge>}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onDone(null)} data-testid={TEST_IDS.customers.cancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy} data-testid={TEST_IDS.customers.save}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
