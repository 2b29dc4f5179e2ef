import { Group, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Period } from './period.ts';

export function PeriodPicker({ value, onChange, fromTestId, toTestId }: { value: Period; onChange(period: Period): void; fromTestId?: string; toTestId?: string }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs">
      <TextInput type="date" label={t('pos.query.from')} value={value.from} onChange={(e) => onChange({ ...value, from: e.currentTarget.value })} data-testid={fromTestId} size="xs" />
      <TextInput type="date" label={t('pos.query.to')} value={value.to} onChange={(e) => onChange({ ...value, to: e.currentTarget.value })} data-testid={toTestId} size="xs" />
    </Group>
  );
}
