import { useMemo, useState } from 'react';
import { Button, Group, Select } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ConsumptionRecord, ContractDoc, ServiceDoc } from '../../../sync/schema/index.ts';
import { consumptionSheet } from '../../core/backoffice/sheets/imports.ts';
import { downloadFile, writeSheetFile } from '../../core/backoffice/sheets/sheets.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { usePeriod } from './use-backoffice.ts';

const ids = TEST_IDS.backoffice.sheets;

/** BO-04 export: the consumption of a month (or all) as .xlsx in the template's columns, to edit and re-import. */
export function ConsumptionExport({ records, contracts, services }: { records: readonly ConsumptionRecord[]; contracts: readonly ContractDoc[]; services: readonly ServiceDoc[] }) {
  const { t } = useTranslation();
  const periodName = usePeriod();
  const [period, setPeriod] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const periods = useMemo(() => [...new Set(records.map((record) => record.date.slice(0, 7)))].sort().reverse(), [records]);
  const exportSheet = async () => {
    setBusy(true);
    try {
      downloadFile(await writeSheetFile(consumptionSheet(records, contracts, services, period)), `consumo-${period ?? 'todos'}.xlsx`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Group gap={4} wrap="nowrap">
      <Select size="sm" w={170} clearable placeholder={t('bo.sheets.allPeriods')} aria-label={t('bo.sheets.exportPeriod')} data={periods.map((p) => ({ value: p, label: periodName(p) }))} value={period} onChange={setPeriod} data-testid={ids.exportPeriod} />
      <Button size="sm" variant="default" leftSection={<IconDownload size={16} />} loading={busy} onClick={() => void exportSheet()} data-testid={ids.export}>{t('bo.sheets.export')}</Button>
    </Group>
  );
}
