import { useEffect, useMemo, useRef, useState } from 'react';
import { ActionIcon, Alert, Badge, Box, Button, Group, Modal, Text, TextInput, Title } from '@mantine/core';
import { IconPencil, IconPlus, IconSearch } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../sync/schema/index.ts';
import { TEST_IDS } from '../test-ids.ts';
import { normalize } from '../core/product-index.ts';
import { formatTaxId } from '../../sync/rules/index.ts';
import { useCore, useObservable } from './core-context.tsx';
import { CustomerForm } from './CustomerForm.tsx';
import { formatPhone } from './phone.ts';
import classes from './table.module.css';
import { OFFLINE_SYNC_STATUS } from '../core/core.ts';
import { toast } from './toast.ts';

const ROW_HEIGHT = 36;
const collator = new Intl.Collator('pt-BR', { sensitivity: 'base' });

export function CustomersPage() {
  const core = useCore();
  const { t } = useTranslation();
  const status = useObservable(core.sync$, OFFLINE_SYNC_STATUS);
  const [customers, setCustomers] = useState<Customer[]>([]);
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<Customer | 'new' | null>(null);
  const canWrite = core.canWrite('customers');

  useEffect(() => {
    const collection = core.customers();
    if (!collection) return;
    // A store has thousands of customers at most: a live query plus sorting here is enough.
    const subscription = collection.find().$.subscribe((docs) => {
      setCustomers(docs.map((doc) => doc.toJSON() as Customer).sort((a, b) => collator.compare(a.name, b.name)));
    });
    return () => subscription.unsubscribe();
  }, [core]);

  const rows = useMemo(() => {
    const words = normalize(query).split(/\s+/).filter(Boolean);
    if (!words.length) return customers;
    return customers.filter((c) => {
      const haystack = normalize(`${c.name} ${c.taxId} ${c.city ?? ''} ${c.email ?? ''}`);
      return words.every((word) => haystack.includes(word.replace(/[.\-/]/g, '')) || haystack.includes(word));
    });
  }, [customers, query]);

  /**
   * The sync engine reports pending uploads as a count only, so a customer edited after the last
   * successful sync while uploads are pending (or the server is out of reach) is shown as pending: an approximation, not per-document truth.
   */
  const isPending = (customer: Customer) =>
    (status.pendingUploads > 0 || !status.online) && (!status.lastSyncAt || customer.updatedAt > status.lastSyncAt);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });

  const done = (saved: Customer | null) => {
    setEditing(null);
    if (saved) toast('customers', t('customers.saved'), 'teal');
  };

  return (
    <Box className={classes.page}>
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Group gap="sm">
          <Title order={4}>{t('customers.title')}</Title>
          <Badge variant="light" data-testid={TEST_IDS.customers.count} data-count={customers.length}>
            {t('customers.count', { count: customers.length })}
          </Badge>
        </Group>
        <Group gap="xs" wrap="nowrap">
          <TextInput
            placeholder={t('customers.search')}
            leftSection={<IconSearch size={16} />}
            value={query}
            onChange={(event) => setQuery(event.currentTarget.value)}
            data-testid={TEST_IDS.customers.search}
            w={300}
            size="sm"
          />
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} disabled={!canWrite} data-testid={TEST_IDS.customers.add} size="sm">
            {t('customers.add')}
          </Button>
        </Group>
      </Group>
      {!canWrite && (
        <Alert color="gray" mb="xs">
          {t('customers.readOnly')}
        </Alert>
      )}
      <div className={classes.header} style={{ gridTemplateColumns: 'var(--customer-columns)' }}>
        <span>{t('customers.name')}</span>
        <span>{t('customers.taxId')}</span>
        <span>{t('customers.email')}</span>
        <span>{t('customers.phone')}</span>
        <span>{t('customers.city')}</span>
        <span>{t('customers.syncState')}</span>
        <span />
      </div>
      <div ref={scrollRef} className={classes.scroll}>
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed" p="md">
            {t('customers.empty')}
          </Text>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const customer = rows[item.index]!;
              const pending = isPending(customer);
              return (
                <div
                  key={customer.id}
                  className={classes.row}
                  data-testid={TEST_IDS.customers.row}
                  data-customer-id={customer.id}
                  style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)`, gridTemplateColumns: 'var(--customer-columns)', opacity: customer.active ? 1 : 0.5 }}
                >
                  <span className={classes.ellipsis}>{customer.name}</span>
                  <span className={classes.mono}>{formatTaxId(customer.taxId)}</span>
                  <span className={classes.ellipsis}>{customer.email}</span>
                  <span className={classes.ellipsis}>{customer.phone ? formatPhone(customer.phone) : ''}</span>
                  <span className={classes.ellipsis}>{customer.city}</span>
                  <span>
                    <Badge size="xs" variant="light" color={pending ? 'orange' : 'teal'} data-testid={TEST_IDS.customers.rowSyncState} data-state={pending ? 'pending' : 'synced'}>
                      {pending ? t('customers.pending') : t('customers.synced')}
                    </Badge>
                  </span>
                  <span>
                    {canWrite && (
                      <ActionIcon variant="subtle" size="sm" aria-label={t('customers.edit')} onClick={() => setEditing(customer)} data-testid={TEST_IDS.customers.edit}>
                        <IconPencil size={16} />
                      </ActionIcon>
                    )}
                  </span>
                </div>
              );
            })}
          </div>
        )}
      </div>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? t('customers.addTitle') : t('customers.editTitle')} size="md">
        {editing !== null && <CustomerForm customer={editing === 'new' ? null : editing} onDone={done} />}
      </Modal>
    </Box>
  );
}
