import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Group, Progress, ScrollArea, Select, Stack, Table, Text } from '@mantine/core';
import { IconDownload, IconFileSpreadsheet } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { RxCollection } from 'rxdb';
import type { ConsumptionRecord, Customer } from '../../../sync/schema/index.ts';
import { normalizeHeader, rowErrorText, type RowError } from '../../../sync/rules/index.ts';
import { applyWrites, dryRunConsumption, dryRunCustomers, errorSheet, matchSheet, SHEET_COLUMNS, templateSheet, type DryRun, type RememberedMapping, type SheetKind } from '../../core/backoffice/sheets/imports.ts';
import { SheetFileError } from '../../core/backoffice/sheets/sheet-errors.ts';
import type { SheetText } from '../../core/backoffice/sheets/sheet-file.ts';
import { downloadFile, readSheetFile, writeSheetFile } from '../../core/backoffice/sheets/sheets.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useCore } from '../core-context.tsx';
import { newId, useBackofficeDocs } from './use-backoffice.ts';

const ids = TEST_IDS.backoffice.sheets;
const MAPPING_KEY = (kind: SheetKind) => `balcao.sheet-mapping.${kind}`;
/** How many bad cells the dry run lists on screen; the error file has them all. */
const SHOWN_ERRORS = 500;

function loadMapping(kind: SheetKind): RememberedMapping {
  try {
    return JSON.parse(localStorage.getItem(MAPPING_KEY(kind)) ?? '{}') as RememberedMapping;
  } catch {
    return {};
  }
}

type Step = { step: 'choose' } | { step: 'reading'; name: string; done: number; total: number } | { step: 'checked' } | { step: 'writing'; done: number; total: number } | { step: 'done'; written: number; partial: boolean };

/** Downloads the template of a kind (the documented headers). */
export async function downloadTemplate(kind: SheetKind): Promise<void> {
  downloadFile(await writeSheetFile(templateSheet(kind)), kind === 'customers' ? 'modelo-clientes.xlsx' : 'modelo-consumo.xlsx');
}

/**
 * Import of a spreadsheet (BO-01 customers, BO-04 consumption): choose a file → it is read off the main
 * thread → unknown columns are mapped by the user (remembered on this device) → a dry run lists every bad
 * row, column and reason and writes nothing → import all (only when no row is bad), or, chosen explicitly,
 * only the good rows, with an error file that repeats the bad ones plus an "erros" column.
 */
export function SheetImport({ kind, onClose }: { kind: SheetKind; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const core = useCore();
  const { contracts, services } = useBackofficeDocs();
  const input = useRef<HTMLInputElement>(null);
  const [step, setStep] = useState<Step>({ step: 'choose' });
  const [sheet, setSheet] = useState<SheetText | null>(null);
  const [remembered, setRemembered] = useState<RememberedMapping>(() => loadMapping(kind));
  const [dry, setDry] = useState<DryRun | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const match = useMemo(() => (sheet ? matchSheet(kind, sheet.header, remembered) : null), [kind, sheet, remembered]);

  // The dry run reruns whenever the file or the mapping changes; it writes nothing.
  useEffect(() => {
    const db = core.database();
    if (!sheet || !match || match.missing.length || !db) {
      setDry(null);
      return;
    }
    let current = true;
    const now = new Date().toISOString();
    const run =
      kind === 'customers'
        ? dryRunCustomers(core.customers()!, sheet, match.mapping, now, newId)
        : dryRunConsumption(db, sheet, match.mapping, { contracts, services, now, userId: core.state.session?.user.id, newId });
    run.then((result) => current && setDry(result)).catch((error: unknown) => current && setFailure(String(error)));
    return () => {
      current = false;
    };
  }, [core, kind, sheet, match, contracts, services]);

  const choose = async (file: File) => {
    setFailure(null);
    setDry(null);
    setSheet(null);
    setStep({ step: 'reading', name: file.name, done: 0, total: 0 });
    try {
      const read = await readSheetFile(file, (done, total) => setStep({ step: 'reading', name: file.name, done, total }));
      setSheet(read);
      setStep({ step: 'checked' });
    } catch (error) {
      setFailure(error instanceof SheetFileError ? t(`bo.sheets.errors.${error.code}`) : String(error));
      setStep({ step: 'choose' });
    }
  };

  const mapColumn = (header: string, key: string | null) => {
    const next = { ...remembered };
    if (key) next[normalizeHeader(header)] = key;
    else delete next[normalizeHeader(header)];
    localStorage.setItem(MAPPING_KEY(kind), JSON.stringify(next));
    setRemembered(next);
  };

  const write = async (partial: boolean) => {
    if (!dry) return;
    const collection = (kind === 'customers' ? core.customers() : core.database()?.collections.consumption) as RxCollection<Customer | ConsumptionRecord> | null | undefined;
    if (!collection) return;
    setStep({ step: 'writing', done: 0, total: dry.writes.length });
    try {
      const written = await applyWrites(collection, dry.writes, (done, total) => setStep({ step: 'writing', done, total }));
      setStep({ step: 'done', written, partial });
    } catch (error) {
      setFailure(t('bo.sheets.errors.write', { message: error instanceof Error ? error.message : String(error) }));
      setStep({ step: 'checked' });
    }
  };

  const badRows = dry ? new Set(dry.errors.map((error) => error.row)).size : 0;
  const adds = dry?.writes.filter((w) => w.change === 'add').length ?? 0;
  const usedKeys = new Set(Object.keys(match?.mapping ?? {}));
  return (
    <Stack gap="sm" data-kind={kind}>
      <Group justify="space-between">
        <Text size="sm" c="dimmed" maw={520}>{t('bo.sheets.chooseHint')}</Text>
        <Button size="xs" variant="subtle" leftSection={<IconDownload size={14} />} onClick={() => void downloadTemplate(kind)} data-testid={ids.template}>{t('bo.sheets.template')}</Button>
      </Group>
      <input ref={input} type="file" hidden accept=".xlsx,.csv,.xls,.txt" data-testid={ids.file} onChange={(event) => { const file = event.currentTarget.files?.[0]; event.currentTarget.value = ''; if (file) void choose(file); }} />
      {step.step !== 'writing' && (
        <Group>
          <Button leftSection={<IconFileSpreadsheet size={16} />} variant={sheet ? 'default' : 'filled'} onClick={() => input.current?.click()}>{sheet ? t('bo.sheets.again') : t('bo.sheets.choose')}</Button>
        </Group>
      )}
      {failure && <Alert color="red" data-testid={ids.failure}>{failure}</Alert>}
      {step.step === 'reading' && (
        <Stack gap={4}>
          <Text size="sm">{t('bo.sheets.reading', { name: step.name })}</Text>
          <Progress value={step.total ? (100 * step.done) / step.total : 100} animated data-testid={ids.progress} />
        </Stack>
      )}
      {match && match.unmatched.length > 0 && step.step === 'checked' && (
        <Stack gap={4} data-testid={ids.mapping}>
          <Text size="sm">{t('bo.sheets.mapping')}</Text>
          {match.unmatched.map((header) => (
            <Group key={header} gap="xs">
              <Text size="sm" w={180} truncate>{header}</Text>
              <Select
                size="xs"
                w={220}
                clearable
                placeholder={t('bo.sheets.ignore')}
                data-header={header}
                data={SHEET_COLUMNS[kind].filter((column) => !usedKeys.has(column.key)).map((column) => ({ value: column.key, label: column.header }))}
                value={null}
                onChange={(key) => mapColumn(header, key)}
              />
            </Group>
          ))}
        </Stack>
      )}
      {match && match.missing.length > 0 && <Alert color="orange">{t('bo.sheets.missing', { count: match.missing.length, columns: match.missing.join(', ') })}</Alert>}
      {dry && step.step === 'checked' && (
        <>
          <Alert color={dry.errors.length ? 'orange' : 'teal'} data-testid={ids.summary} data-checked={dry.checked} data-writes={dry.writes.length} data-bad-rows={badRows} data-unchanged={dry.unchanged}>
            {t('bo.sheets.summary', { checked: dry.checked, adds, updates: dry.writes.length - adds, unchanged: dry.unchanged, bad: badRows })}
          </Alert>
          {dry.errors.length > 0 && (
            <>
              <Text size="sm" fw={600}>{t('bo.sheets.errorsTitle', { count: dry.errors.length, rows: badRows })}</Text>
              <RowTable rows={dry.errors} testId={ids.errorRow} />
              <Text size="xs" c="dimmed">{t('bo.sheets.importAllBlocked')}</Text>
            </>
          )}
          {dry.warnings.length > 0 && (
            <Alert color="yellow" p="xs">
              <Text size="sm" fw={600} mb={4}>{t('bo.sheets.warningsTitle', { count: dry.warnings.length })}</Text>
              <RowTable rows={dry.warnings} testId={ids.warningRow} />
            </Alert>
          )}
          {dry.writes.length === 0 && !dry.errors.length && <Text size="sm">{t('bo.sheets.nothing')}</Text>}
          <Group justify="flex-end">
            {dry.errors.length > 0 && dry.writes.length > 0 && (
              <Button variant="light" color="orange" onClick={() => void write(true)} data-testid={ids.importGood}>{t('bo.sheets.importGood', { count: dry.writes.length })}</Button>
            )}
            <Button disabled={dry.errors.length > 0 || dry.writes.length === 0} onClick={() => void write(false)} data-testid={ids.importAll}>{t('bo.sheets.importAll', { count: dry.writes.length })}</Button>
          </Group>
        </>
      )}
      {step.step === 'writing' && (
        <Stack gap={4}>
          <Text size="sm">{t('bo.sheets.importing', { done: step.done, total: step.total })}</Text>
          <Progress value={step.total ? (100 * step.done) / step.total : 0} data-testid={ids.progress} />
        </Stack>
      )}
      {step.step === 'done' && (
        <>
          <Alert color="teal" data-testid={ids.done} data-written={step.written}>{t('bo.sheets.done', { count: step.written })}</Alert>
          <Group justify="flex-end">
            {step.partial && sheet && dry && (
              <Button variant="light" color="orange" leftSection={<IconDownload size={14} />} data-testid={ids.errorFile} onClick={() => void writeSheetFile(errorSheet(kind, sheet, dry.errors, i18n.language)).then((bytes) => downloadFile(bytes, kind === 'customers' ? 'clientes-erros.xlsx' : 'consumo-erros.xlsx'))}>
                {t('bo.sheets.errorFile')}
              </Button>
            )}
            <Button onClick={onClose}>{t('bo.sheets.close')}</Button>
          </Group>
        </>
      )}
    </Stack>
  );
}

/** Rows of the dry run (errors or warnings) by row, column and reason; the first SHOWN_ERRORS only. */
function RowTable({ rows, testId }: { rows: readonly RowError[]; testId: string }) {
  const { t, i18n } = useTranslation();
  return (
    <ScrollArea.Autosize mah={260}>
      <Table striped withTableBorder>
        <Table.Thead>
          <Table.Tr><Table.Th w={70}>{t('bo.sheets.row')}</Table.Th><Table.Th w={120}>{t('bo.sheets.column')}</Table.Th><Table.Th>{t('bo.sheets.reason')}</Table.Th></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.slice(0, SHOWN_ERRORS).map((row, index) => (
            <Table.Tr key={index} data-testid={testId} data-row={row.row} data-column={row.column}>
              <Table.Td>{row.row}</Table.Td>
              <Table.Td>{row.column}</Table.Td>
              <Table.Td>{rowErrorText(row, i18n.language)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}
