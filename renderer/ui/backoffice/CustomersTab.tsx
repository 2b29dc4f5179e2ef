import { useMemo, useRef, useState } from 'react';
import { ActionIcon, Badge, Box, Button, Group, Modal, Text, TextInput, Tooltip } from '@mantine/core';
import { IconFileSpreadsheet, IconPencil, IconPlus, IconSearch, IconUserCheck, IconUserOff } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../../sync/schema/index.ts';
import { formatCep, formatPhone, formatTaxId } from '../../../sync/rules/index.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { normalize } from '../../core/product-index.ts';
import classes from '../table.module.css';
import { CustomerEditor, DeactivateCustomer } from './CustomerEditor.tsx';
import { Refusals } from './Refusals.tsx';
import { SheetImport } from './SheetImport.tsx';
import { useCustomers, useRefusalText } from './use-backoffice.ts';
import { useCore } from '../core-context.tsx';
import { toast } from '../toast.ts';

const ids = TEST_IDS.backoffice.customers;
const ROW_HEIGHT = 36;
// Fits the 780 px beside the navigation of a 1024 px window; a CNPJ (18 characters, monospace) needs 145 px.
const COLUMNS = 'minmax(120px, 1.4fr) 145px minmax(80px, 1fr) 115px 76px 30px 70px 56px';

/** BO-01: customers of the store, searched and listed virtualized (thousands fit), added, changed, deactivated. */
export function CustomersTab() {
  const { t } = useTranslation();
  const core = useCore();
  const refusalText = useRefusalText();
  const customers = useCustomers();
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<Customer | 'new' | null>(null);
  const [deactivating, setDeactivating] = useState<Customer | null>(null);
  const [importing, setImporting] = useState(false);
  const names = useMemo(() => new Map(customers.map((c) => [c.id, c.name])), [customers]);

  const rows = useMemo(() => {
    const words = normalize(query).split(/\s+/).filter(Boolean);
    if (!words.length) return customers;
    return customers.filter((c) => {
      const haystack = normalize(`${c.name} ${c.taxId} ${formatTaxId(c.taxId)} ${c.city ?? ''} ${c.email ?? ''} ${c.phone ?? ''}`);
      return words.every((word) => haystack.includes(word));
    });
  }, [customers, query]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  // A refused deactivation (open receivables) is fixed by making the customer active again.
  const reactivate = async (customer: Customer) => {
    try {
      const { id, name, taxId, email, phone, city, cep, uf, address } = customer;
      await core.saveCustomer({ name, taxId, email, phone, city, cep, uf, address, active: true }, id);
      toast('bo-customers', t('bo.saved'), 'teal');
    } catch (error) {
      toast('bo-customers', refusalText(error), 'red');
    }
  };
  const done = (saved: boolean) => {
    setEditing(null);
    setDeactivating(null);
    if (saved) toast('bo-customers', t('bo.saved'), 'teal');
  };

  return (
    <Box className={classes.page}>
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Badge variant="light" style={{ flexShrink: 0 }}>{t('bo.customers.count', { count: customers.length })}</Badge>
        <Group gap="xs" wrap="nowrap">
          <TextInput placeholder={t('bo.customers.search')} leftSection={<IconSearch size={16} />} value={query} onChange={(e) => setQuery(e.currentTarget.value)} data-testid={ids.search} w={{ base: 220, lg: 300 }} size="sm" />
          <Button variant="default" leftSection={<IconFileSpreadsheet size={16} />} onClick={() => setImporting(true)} data-testid={TEST_IDS.backoffice.sheets.open} data-kind="customers" size="sm">
            {t('bo.sheets.import')}
          </Button>
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} data-testid={ids.add} size="sm">
            {t('bo.customers.add')}
          </Button>
        </Group>
      </Group>
      <Refusals collections={['customers']} label={(id, entry) => names.get(String(entry.document.id ?? id)) ?? id} fix={(entry) => (entry.document._deleted === true ? null : () => setEditing(entry.document as unknown as Customer))} />
      <div className={classes.header} style={{ gridTemplateColumns: COLUMNS }} data-list-header>
        <span>{t('bo.customers.name')}</span>
        <span>{t('bo.customers.taxId')}</span>
        <span>{t('bo.customers.email')}</span>
        <span>{t('bo.customers.phone')}</span>
        <span>{t('bo.customers.cep')}</span>
        <span>{t('bo.customers.uf')}</span>
        <span>{t('bo.customers.state')}</span>
        <span />
      </div>
      <div ref={scrollRef} className={classes.scroll}>
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed" p="md">{t('bo.empty')}</Text>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const customer = rows[item.index]!;
              return (
                <div key={customer.id} className={classes.row} data-testid={ids.row} data-customer-id={customer.id} data-active={customer.active} style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)`, gridTemplateColumns: COLUMNS }}>
                  <span className={classes.ellipsis} title={customer.address ? `${customer.address} · ${customer.city ?? ''}` : customer.city}>{customer.name}</span>
                  <span className={classes.mono} data-key-cell>{formatTaxId(customer.taxId)}</span>
                  <span className={classes.ellipsis}>{customer.email}</span>
                  <span className={classes.ellipsis}>{customer.phone ? formatPhone(customer.phone) : ''}</span>
                  <span className={classes.mono}>{customer.cep ? formatCep(customer.cep) : ''}</span>
                  <span>{customer.uf}</span>
                  <span>
                    <Tooltip label={customer.deactivationReason ? t('bo.customers.deactivated', { reason: customer.deactivationReason }) : ''} disabled={customer.active || !customer.deactivationReason}>
                      <Badge size="xs" variant="light" color={customer.active ? 'teal' : 'gray'}>{customer.active ? t('bo.active') : t('bo.inactive')}</Badge>
                    </Tooltip>
                  </span>
                  <Group gap={2} wrap="nowrap">
                    <ActionIcon variant="subtle" size="sm" aria-label={t('bo.edit')} onClick={() => setEditing(customer)} data-testid={ids.edit}>
                      <IconPencil size={16} />
                    </ActionIcon>
                    {customer.active ? (
                      <ActionIcon variant="subtle" color="red" size="sm" aria-label={t('bo.customers.deactivate')} onClick={() => setDeactivating(customer)} data-testid={ids.deactivate}>
                        <IconUserOff size={16} />
                      </ActionIcon>
                    ) : (
                      <ActionIcon variant="subtle" color="teal" size="sm" aria-label={t('bo.customers.reactivate')} onClick={() => void reactivate(customer)} data-testid={ids.reactivate}>
                        <IconUserCheck size={16} />
                      </ActionIcon>
                    )}
                  </Group>
                </div>
              );
            })}
          </div>
        )}
      </div>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? t('bo.customers.addTitle') : t('bo.customers.editTitle')} size="lg">
        {editing !== null && <CustomerEditor customer={editing === 'new' ? null : editing} onDone={done} />}
      </Modal>
      <Modal opened={importing} onClose={() => setImporting(false)} title={t('bo.sheets.importCustomers')} size="xl">
        {importing && <SheetImport kind="customers" onClose={() => setImporting(false)} />}
      </Modal>
      <Modal opened={deactivating !== null} onClose={() => setDeactivating(null)} title={t('bo.customers.deactivateTitle')}>
        {deactivating && <DeactivateCustomer customer={deactivating} onDone={done} />}
      </Modal>
    </Box>
  );
}
