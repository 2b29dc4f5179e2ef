import { useMemo, useRef, useState } from 'react';
import { ActionIcon, Badge, Box, Button, Group, Modal, Select, Text } from '@mantine/core';
import { IconFileSpreadsheet, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import type { ConsumptionRecord } from '../../../sync/schema/index.ts';
import { BackofficeRefused, removeConsumption } from '../../core/backoffice/backoffice.ts';
import { localRefusalDetail } from '../../core/backoffice/refusal-detail.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useCore } from '../core-context.tsx';
import classes from '../table.module.css';
import { ConsumptionForm } from './ConsumptionForm.tsx';
import { Refusals } from './Refusals.tsx';
import { SheetImport } from './SheetImport.tsx';
import { ConsumptionExport } from './ConsumptionExport.tsx';
import { useBackofficeDocs, useConsumption, useDay, useQuantity, useRefusalText } from './use-backoffice.ts';
import { toast } from '../toast.ts';

const ids = TEST_IDS.backoffice.consumption;
const ROW_HEIGHT = 36;
const COLUMNS = '110px minmax(100px, 1fr) minmax(100px, 1fr) 100px minmax(120px, 1.5fr) 64px';

export type ConsumptionEditing = { mode: 'new' } | { mode: 'edit'; record: ConsumptionRecord } | { mode: 'correct'; record: ConsumptionRecord };

/** BO-04: usage records, added, changed, removed; a billed period's record gets a correcting record instead. */
export function ConsumptionTab() {
  const { t, i18n } = useTranslation();
  const core = useCore();
  const day = useDay();
  const quantity = useQuantity();
  const refusalText = useRefusalText();
  const records = useConsumption();
  const { services, contracts } = useBackofficeDocs();
  const [contractFilter, setContractFilter] = useState<string | null>(null);
  const [editing, setEditing] = useState<ConsumptionEditing | null>(null);
  const [importing, setImporting] = useState(false);
  const contractCode = useMemo(() => new Map(contracts.map((c) => [c.id, c.code])), [contracts]);
  const contractById = useMemo(() => new Map(contracts.map((c) => [c.id, c])), [contracts]);
  const service = useMemo(() => new Map(services.map((s) => [s.id, s])), [services]);
  const rows = useMemo(() => (contractFilter ? records.filter((r) => r.contractId === contractFilter) : records), [records, contractFilter]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });

  const remove = async (record: ConsumptionRecord) => {
    const db = core.database();
    if (!db) return;
    try {
      await removeConsumption(db, record.id);
      toast('bo-consumption', t('bo.saved'), 'teal');
    } catch (error) {
      toast('bo-consumption', refusalText(error), 'red');
      // A billed period: the rule's message says to correct instead, so offer that at once.
      if (error instanceof BackofficeRefused && error.error.code === 'billed_period') setEditing({ mode: 'correct', record });
    }
  };

  return (
    <Box className={classes.page}>
      {/* At 1024 px the tools do not fit beside the filter: they go to a second line rather than off screen. */}
      <Group justify="space-between" mb="xs" gap="xs">
        <Group gap="xs" wrap="nowrap">
          <Select size="sm" w={240} clearable placeholder={t('bo.consumption.filterContract')} data={contracts.map((c) => ({ value: c.id, label: c.code }))} value={contractFilter} onChange={setContractFilter} />
          <Badge variant="light" style={{ flexShrink: 0 }}>{t('bo.consumption.count', { count: rows.length })}</Badge>
        </Group>
        <Group gap="xs" wrap="nowrap">
          <ConsumptionExport records={records} contracts={contracts} services={services} />
          <Button variant="default" leftSection={<IconFileSpreadsheet size={16} />} size="sm" onClick={() => setImporting(true)} data-testid={TEST_IDS.backoffice.sheets.open} data-kind="consumption">{t('bo.sheets.import')}</Button>
          <Button leftSection={<IconPlus size={16} />} size="sm" onClick={() => setEditing({ mode: 'new' })} data-testid={ids.add}>{t('bo.consumption.add')}</Button>
        </Group>
      </Group>
      <Refusals collections={['consumption']} label={(documentId, entry) => {
        // The record as the user knows it (day, contract, quantity): its id says nothing to a person.
        // An edit conflict's entry is kept under its own document id: the record's id is the document's.
        const id = String(entry.document.id ?? documentId);
        const record = records.find((r) => r.id === id);
        return record ? `${day(record.date)} · ${contractCode.get(record.contractId) ?? record.contractId} · ${quantity(record.quantity)} ${service.get(record.serviceId)?.unit ?? ''}`.trim() : id;
      }} detail={(entry) => localRefusalDetail(entry, i18n.language, contractById)} actions={(documentId, entry) => {
        const id = String(entry.document.id ?? documentId);
        // A refused new record stays on this device until the user fixes it: changed (another contract or date) or removed.
        // A refused change of a record the server holds shows the server's version here: fixing starts from the refused version.
        const { _deleted: refusedDeletion, ...refused } = entry.document;
        const stored = records.find((r) => r.id === id);
        const record = stored && refusedDeletion !== true ? ({ ...stored, ...refused } as ConsumptionRecord) : stored;
        return record ? (
          <>
            <Button size="compact-xs" variant="light" onClick={() => setEditing({ mode: 'edit', record })} data-testid={ids.fixRefused} data-record-id={id}>{t('bo.consumption.fixRefused')}</Button>
            <Button size="compact-xs" variant="light" color="red" onClick={() => void remove(record)} data-testid={ids.removeRefused} data-record-id={id}>{t('bo.consumption.removeRefused')}</Button>
          </>
        ) : null;
      }} />
      <div className={classes.header} style={{ gridTemplateColumns: COLUMNS }}>
        <span>{t('bo.consumption.date')}</span>
        <span>{t('bo.consumption.contract')}</span>
        <span>{t('bo.consumption.service')}</span>
        <span className={classes.num}>{t('bo.consumption.quantity')}</span>
        <span>{t('bo.consumption.description')}</span>
        <span />
      </div>
      <div ref={scrollRef} className={classes.scroll}>
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed" p="md">{t('bo.empty')}</Text>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const record = rows[item.index]!;
              const svc = service.get(record.serviceId);
              return (
                <div key={record.id} className={classes.row} data-testid={ids.row} data-record-id={record.id} data-quantity={record.quantity} style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)`, gridTemplateColumns: COLUMNS }}>
                  <span>{day(record.date)}</span>
                  <span className={classes.ellipsis}>{contractCode.get(record.contractId) ?? record.contractId}</span>
                  <span className={classes.ellipsis}>{svc ? `${svc.code} · ${svc.name ?? ''}` : record.serviceId}</span>
                  <span className={classes.num} data-negative={record.quantity < 0 || undefined}>{quantity(record.quantity)} {svc?.unit ?? ''}</span>
                  <span className={classes.ellipsis}>
                    {record.correctsId && <Badge size="xs" variant="light" color="grape" mr={4}>{t('bo.consumption.correction')}</Badge>}
                    {record.description}
                  </span>
                  <Group gap={2} wrap="nowrap">
                    <ActionIcon variant="subtle" size="sm" aria-label={t('bo.edit')} onClick={() => setEditing({ mode: 'edit', record })} data-testid={ids.edit}><IconPencil size={16} /></ActionIcon>
                    <ActionIcon variant="subtle" color="red" size="sm" aria-label={t('bo.consumption.remove')} onClick={() => void remove(record)} data-testid={ids.remove}><IconTrash size={16} /></ActionIcon>
                  </Group>
                </div>
              );
            })}
          </div>
        )}
      </div>
      <Modal opened={importing} onClose={() => setImporting(false)} title={t('bo.sheets.importConsumption')} size="xl">
        {importing && <SheetImport kind="consumption" onClose={() => setImporting(false)} />}
      </Modal>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing ? t(editing.mode === 'new' ? 'bo.consumption.addTitle' : editing.mode === 'edit' ? 'bo.consumption.editTitle' : 'bo.consumption.correctTitle') : ''} size="lg">
        {/* Keyed by mode and record: "Corrigir" opens a fresh form (dated today, without the edit's refusal), not the edit's state. */}
        {editing && <ConsumptionForm key={`${editing.mode}:${editing.mode === 'new' ? '' : editing.record.id}`} editing={editing} contracts={contracts} services={services} onCorrect={(record) => setEditing({ mode: 'correct', record })} onDone={() => setEditing(null)} />}
      </Modal>
    </Box>
  );
}
