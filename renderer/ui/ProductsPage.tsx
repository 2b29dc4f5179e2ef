import { useDeferredValue, useMemo, useRef, useState } from 'react';
import { Badge, Box, Group, Progress, Text, TextInput, Title } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { TEST_IDS } from '../test-ids.ts';
import { formatCents } from '../core/money.ts';
import { useCore, useObservable } from './core-context.tsx';
import { firstSyncView } from './sync-header-state.ts';
import classes from './table.module.css';
import { OFFLINE_SYNC_STATUS } from '../core/core.ts';

const ROW_HEIGHT = 34;
/** Rows the list shows at most; past it, it asks to refine the search (issue 16: 1,000,000 SKUs). */
const LIST_CAP = 1_000;

export function ProductsPage() {
  const core = useCore();
  const { t, i18n } = useTranslation();
  const version = useObservable(core.productsVersion$, core.products.version);
  const state = useObservable(core.state$, core.state);
  const status = useObservable(core.sync$, OFFLINE_SYNC_STATUS);
  const [query, setQuery] = useState('');
  // Typing stays responsive while a long result list is recomputed.
  const deferredQuery = useDeferredValue(query);
  const { rows, more } = useMemo(() => core.products.searchCapped(deferredQuery, LIST_CAP), [core.products, deferredQuery, version]);
  const total = core.products.size;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const stockFormat = useMemo(() => new Intl.NumberFormat(i18n.language), [i18n.language]);
  const firstSync = firstSyncView({ firstSync: state.firstSync, syncUnavailable: state.syncUnavailable, status });

  return (
    <Box className={classes.page}>
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Group gap="sm">
          <Title order={4}>{t('products.title')}</Title>
          <Badge variant="light" data-testid={TEST_IDS.products.count} data-count={total}>
            {t('products.count', { count: total })}
          </Badge>
          {more ? (
            <Text size="xs" c="dimmed" data-testid={TEST_IDS.products.more}>
              {t('products.more', { count: LIST_CAP })}
            </Text>
          ) : (
            deferredQuery && (
              <Text size="xs" c="dimmed">
                {t('products.shown', { shown: rows.length, total })}
              </Text>
            )
          )}
        </Group>
        <TextInput
          placeholder={t('products.search')}
          leftSection={<IconSearch size={16} />}
          value={query}
          onChange={(event) => setQuery(event.currentTarget.value)}
          data-testid={TEST_IDS.products.search}
          w={360}
          size="sm"
          autoFocus
        />
      </Group>
      {firstSync.kind !== 'hidden' && (
        <Box mb="xs" data-testid={TEST_IDS.products.firstSyncProgress} data-kind={firstSync.kind} data-pulled={status.initialSync.pulled}>
          <Text size="xs" c="dimmed" mb={4}>
            {firstSync.kind === 'progress'
              ? firstSync.expected !== undefined
                ? t('products.firstSyncOf', { count: firstSync.pulled, total: firstSync.expected })
                : t('products.firstSync', { count: firstSync.pulled })
              : firstSync.kind === 'connecting'
                ? t('products.firstSyncConnecting')
                : firstSync.pulled > 0
                  ? t('products.firstSyncPaused', { count: firstSync.pulled })
                  : t('products.firstSyncOffline')}
          </Text>
          <Progress value={firstSync.kind !== 'connecting' && firstSync.expected ? Math.min(100, (100 * firstSync.pulled) / firstSync.expected) : 100} animated={firstSync.kind !== 'waiting'} striped size="sm" color={firstSync.kind === 'waiting' ? 'gray' : undefined} />
        </Box>
      )}
      <div className={classes.header} style={{ gridTemplateColumns: 'var(--product-columns)' }}>
        <span>{t('products.sku')}</span>
        <span>{t('products.name')}</span>
        <span>{t('products.barcode')}</span>
        <span className={classes.num}>{t('products.price')}</span>
        <span className={classes.num}>{t('products.stock')}</span>
        <span>{t('products.unit')}</span>
      </div>
      <div ref={scrollRef} className={classes.scroll}>
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed" p="md" data-testid={TEST_IDS.products.empty}>
            {total === 0 ? t('products.emptyDb') : t('products.empty')}
          </Text>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const product = rows[item.index]!;
              return (
                <div
                  key={product.id}
                  className={classes.row}
                  data-testid={TEST_IDS.products.row}
                  data-product-id={product.id}
                  style={{ height: ROW_HEIGHT, transform: `translateY(${item.start}px)`, gridTemplateColumns: 'var(--product-columns)' }}
                >
                  <span className={classes.mono}>{product.sku}</span>
                  <span className={classes.ellipsis}>
                    {product.name}
                    {!product.active && (
                      <Badge size="xs" color="gray" ml={6}>
                        {t('products.inactive')}
                      </Badge>
                    )}
                  </span>
                  <span className={classes.mono}>{product.barcode}</span>
                  <span className={classes.num}>{formatCents(product.priceCents)}</span>
                  <span className={classes.num} data-negative={product.stock < 0 || undefined}>
                    {stockFormat.format(product.stock)}
                  </span>
                  <span>{product.unit}</span>
                </div>
              );
            })}
          </div>
        )}
      </div>
    </Box>
  );
}
