import { Group } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useTranslation } from 'react-i18next';
import { pickerLocale } from '../../i18n/format.ts';
import type { Period } from './period.ts';

/**
 * A period of days, picked as dd/mm/aaaa in the user's language (not the browser's: a native date
 * input shows mm/dd in an English Chromium). Values stay YYYY-MM-DD.
 */
export function PeriodPicker({ value, onChange, fromTestId, toTestId }: { value: Period; onChange(period: Period): void; fromTestId?: string; toTestId?: string }) {
  const { t, i18n } = useTranslation();
  const locale = pickerLocale(i18n.language);
  const common = { size: 'xs', valueFormat: 'DD/MM/YYYY', locale, w: 130, popoverProps: { withinPortal: true } } as const;
  return (
    <Group gap="xs">
      <DatePickerInput
        {...common}
        label={t('pos.query.from')}
        value={value.from || null}
        maxDate={value.to || undefined}
        onChange={(from) => onChange({ ...value, from: from ?? '' })}
        data-testid={fromTestId}
        data-value={value.from}
      />
      <DatePickerInput
        {...common}
        label={t('pos.query.to')}
        value={value.to || null}
        minDate={value.from || undefined}
        onChange={(to) => onChange({ ...value, to: to ?? '' })}
        data-testid={toTestId}
        data-value={value.to}
      />
    </Group>
  );
}
