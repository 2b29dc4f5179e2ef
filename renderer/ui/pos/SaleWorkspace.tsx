import { useEffect, useMemo, useRef, useState } from 'react';
import { ActionIcon, Alert, Badge, Box, Button, Group, NativeSelect, Paper, ScrollArea, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconBarcode, IconDiscount2, IconTrash } from '@tabler/icons-react';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { formatTaxId, formatUnitQuantity, isMeasuredUnit, linesOverStock, normalizeTaxId, parseScaleLabel, requiredAuthorizations, ruleMessage, unitPriceOf, unitSymbol, type CartLine } from '../../../sync/rules/index.ts';
import type { Customer } from '../../../sync/schema/index.ts';
import { quoteSale, customerTaxIdProblem, type PaymentInput, type ReturnedItem } from '../../core/pos/sale-draft.ts';
import type { Authorization, RecordedSale } from '../../core/pos/pos.ts';
import { LineAdjust } from './LineAdjust.tsx';
import { SupervisorDialog } from './SupervisorDialog.tsx';
import { parseMoney } from './money.ts';
import type { ProductIndex, ProductRow } from '../../core/product-index.ts';
import { MAX_QUANTITY, isValidQuantity, parseScan, scanQuantity } from '../../core/pos/quantity.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useCore } from '../core-context.tsx';
import { loadOpenCart, saveOpenCart } from './open-cart.ts';
import { usePosContext, usePosErrorText } from './pos-context.tsx';
import { PaymentModal } from './PaymentModal.tsx';
import { QuantityField } from './QuantityField.tsx';
import { Receipt } from './Receipt.tsx';
import { useMoney } from './use-money.ts';

const ids = TEST_IDS.pos;
const SUGGESTIONS = 8;
/** Longer than the gap between a scanner's keystrokes, shorter than a person notices. */
const SUGGEST_AFTER_MS = 150;

function suggestionsFor(products: ProductIndex, text: string): ProductRow[] {
  const { code } = parseScan(text);
  if (code.length < 2) return [];
  // A few extra rows make up for inactive products without matching the whole catalogue again.
  return products.search(code, SUGGESTIONS * 3).filter((p) => p.active).slice(0, SUGGESTIONS);
}

export interface ExchangeInput {
  originalSaleId: string;
  originalNumber: number;
  returnedItems: ReturnedItem[];
}

/**
 * The sale screen (POS-09): scan or search, cart, seller, customer, live totals with promotions,
 * payment step and receipt. Keyboard-first: a scanner types the code and Enter; F-keys for the rest.
 * With `exchange`, the returned goods' credit pays first (POS-11).
 */
export function SaleWorkspace({ exchange, onDone }: { exchange?: ExchangeInput; onDone?(): void }) {
  const core = useCore();
  const { pos, catalog } = usePosContext();
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const errorText = usePosErrorText();
  // An exchange starts from its own screen; a plain sale picks up the cart left open (open-cart.ts).
  const [restored] = useState(() => (exchange ? null : loadOpenCart()));
  const [lines, setLines] = useState<CartLine[]>(restored?.lines ?? []);
  const [scan, setScan] = useState('');
  const [scanError, setScanError] = useState<string | null>(null);
  const [highlight, setHighlight] = useState(0);
  // The store decides (issue 15): the seller is asked every sale, or the station's last one is kept.
  const lastSellerKey = `balcao.pos.last-seller.${pos?.stationId ?? ''}`;
  const remembersSeller = catalog.settings.sellerPolicy === 'remember';
  const [sellerId, setSellerId] = useState(restored?.sellerId || (remembersSeller ? (window.localStorage.getItem(lastSellerKey) ?? '') : ''));
  // POS-20: supervisor authorisations given for this sale, the action being asked for, the line being adjusted.
  const [authorizations, setAuthorizations] = useState<Authorization[]>([]);
  const [asking, setAsking] = useState<Authorization['action'][] | null>(null);
  const [adjusting, setAdjusting] = useState<number | null>(null);
  const [saleDiscountText, setSaleDiscountText] = useState('');
  const saleDiscountCents = saleDiscountText.trim() ? parseMoney(saleDiscountText) : 0;
  const [taxId, setTaxId] = useState(restored?.taxId ?? '');
  const [paying, setPaying] = useState(false);
  const [busy, setBusy] = useState(false);
  const [payError, setPayError] = useState<string | null>(null);
  const [recorded, setRecorded] = useState<RecordedSale | null>(null);
  const [customers, setCustomers] = useState<Customer[]>([]);
  const scanRef = useRef<HTMLInputElement>(null);
  const sellerRef = useRef<HTMLSelectElement>(null);
  const customerRef = useRef<HTMLInputElement>(null);

  // The seller is chosen for each sale (F4), never filled in silently: commission depends on it.
  const [sellerError, setSellerError] = useState(false);
  useEffect(() => {
    if (sellerId) setSellerError(false);
  }, [sellerId]);
  // An error about the cart goes once the cart changes: a later successful edit answers it.
  useEffect(() => setScanError(null), [lines]);
  // A discount or price changed after the supervisor authorised it needs a new authorisation.
  useEffect(() => setAuthorizations((given) => given.filter((a) => a.action === 'closedTill')), [lines, saleDiscountText]);
  useEffect(() => {
    if (remembersSeller && !sellerId) setSellerId(window.localStorage.getItem(lastSellerKey) ?? '');
  }, [remembersSeller]);

  useEffect(() => {
    if (!exchange) saveOpenCart(recorded ? null : { lines, sellerId, taxId });
  }, [exchange, recorded, lines, sellerId, taxId]);

  useEffect(() => {
    const collection = core.customers();
    if (!collection) return;
    const sub = collection.find().$.subscribe((docs) => setCustomers(docs.map((d) => d.toJSON() as Customer)));
    return () => sub.unsubscribe();
  }, [core]);

  // A scanner types 13 digits in a burst and each search scans the whole index (tens of ms on 100k
  // products, see test/bench/pos): suggestions wait for a pause, Enter looks the code up directly.
  const [settledScan] = useDebouncedValue(scan, SUGGEST_AFTER_MS);
  const settledSuggestions = useMemo<ProductRow[]>(() => suggestionsFor(core.products, settledScan), [core.products, settledScan]);
  // Cleared input (a product just added) hides the list at once, without waiting for the pause.
  const suggestions = parseScan(scan).code.length < 2 ? [] : settledSuggestions;

  const lookup = (id: string) => {
    const row = core.products.get(id);
    return row ? { ...row, groupId: row.groupId ?? '' } : undefined;
  };
  const saleAuthorizations = authorizations.filter((a) => a.action !== 'cancel' && a.action !== 'withdrawal').map(({ action, supervisorId, at }) => ({ action: action as 'discount' | 'priceOverride' | 'closedTill', supervisorId, at }));
  const draft = { lines, sellerId, customerTaxId: taxId || undefined, saleDiscountCents: saleDiscountCents ?? 0, payments: [] as PaymentInput[], authorizations: saleAuthorizations, ...(exchange ? { exchange } : {}) };
  const quote = quoteSale(draft, catalog, lookup, new Date().toISOString());
  const totals = quote.ok ? quote.value.totals : null;
  const credit = quote.ok ? quote.value.creditCents : 0;
  const due = totals ? Math.max(0, totals.totalCents - credit) : 0;
  const taxIdInvalid = customerTaxIdProblem(taxId);
  const invalidQuantityText = t('pos.sale.invalidQuantity', { min: 1, max: new Intl.NumberFormat(i18n.language).format(MAX_QUANTITY) });
  const quantityError = (unit: string) =>
    isMeasuredUnit(unit) ? t('pos.sale.invalidMeasure', { unit: unitSymbol(unit), max: formatUnitQuantity(MAX_QUANTITY, unit, i18n.language) }) : invalidQuantityText;
  const customer = !taxIdInvalid && taxId ? customers.find((c) => c.taxId === normalizeTaxId(taxId)) : undefined;

  function addProduct(product: ProductRow, text: string, scaleQuantity?: number) {
    const input = parseScan(text);
    const resolved = scaleQuantity !== undefined ? { ok: true as const, quantity: scaleQuantity } : scanQuantity(input, product.unit);
    if (!resolved.ok) {
      setScanError(resolved.problem === 'weightNeeded' ? t('pos.sale.weightNeeded', { name: product.name, unit: unitSymbol(product.unit) }) : quantityError(product.unit));
      return;
    }
    const quantity = resolved.quantity;
    if (!product.active) {
      setScanError(t('pos.sale.inactive', { name: product.name }));
      return;
    }
    const already = lines.find((line) => line.productId === product.id)?.quantity ?? 0;
    if (!isValidQuantity(already + quantity)) {
      setScanError(quantityError(product.unit));
      return;
    }
    setLines((current) => {
      const existing = current.findIndex((line) => line.productId === product.id);
      // The same product scanned again adds to its line, so "buy 3 pay 2" sees all units.
      if (existing >= 0) return current.map((line, index) => (index === existing ? { ...line, quantity: line.quantity + quantity } : line));
      return [...current, { productId: product.id, quantity }];
    });
    setScan('');
    setScanError(null);
    setHighlight(0);
  }

  function submitScan() {
    const input = parseScan(scan);
    // "0*", "-2*", "99999999*": the quantity is wrong, whatever the code.
    if (input.kind === 'invalidQuantity') {
      setScanError(invalidQuantityText);
      return;
    }
    const { code } = input;
    if (!code) return;
    // A scale's weight label (POS-22) names the product by its code and carries the weight.
    const label = input.kind === 'code' && !core.products.findByCode(code) ? parseScaleLabel(code) : null;
    if (label) {
      const weighed = core.products.findByCode(label.productCode) ?? core.products.findByCode(String(Number(label.productCode)));
      if (!weighed || !isMeasuredUnit(weighed.unit)) {
        setScanError(t('pos.sale.notFound', { code }));
        return;
      }
      addProduct(weighed, code, label.quantity);
      return;
    }
    // Enter before the suggestions caught up with the typing picks from the current text.
    const product = core.products.findByCode(code) ?? (settledScan === scan ? suggestions : suggestionsFor(core.products, scan))[highlight];
    if (!product) {
      setScanError(t('pos.sale.notFound', { code }));
      return;
    }
    addProduct(product, scan);
  }

  function reset() {
    setLines([]);
    setSellerId(remembersSeller ? (window.localStorage.getItem(lastSellerKey) ?? '') : '');
    setAuthorizations([]);
    setSaleDiscountText('');
    setTaxId('');
    setScan('');
    setScanError(null);
    setPayError(null);
    setTimeout(() => scanRef.current?.focus(), 0);
  }

  async function openPayment(given: Authorization[] = authorizations) {
    if (!lines.length || !totals || !pos) return;
    if (stockBlocked) return;
    if (!sellerId) {
      setSellerError(true);
      sellerRef.current?.focus();
      return;
    }
    if (taxIdInvalid) {
      customerRef.current?.focus();
      return;
    }
    // POS-19/20: a manual discount, a typed price or a closed till need a supervisor's code first.
    const needed: Authorization['action'][] = [...requiredAuthorizations(totals.items)];
    if (!(await pos.cashOpen())) needed.push('closedTill');
    const missing = needed.filter((action) => !given.some((a) => a.action === action));
    if (missing.length > 0) {
      setAsking(missing);
      return;
    }
    setPayError(null);
    setPaying(true);
  }

  async function finish(payments: PaymentInput[]) {
    if (!pos) return;
    setBusy(true);
    setPayError(null);
    try {
      const result = exchange
        ? await pos.recordExchange({ ...draft, payments, exchange })
        : await pos.recordSale({ ...draft, payments });
      if (!exchange) saveOpenCart(null);
      if (remembersSeller) window.localStorage.setItem(lastSellerKey, sellerId);
      setPaying(false);
      setRecorded(result);
    } catch (error) {
      setPayError(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  function closeReceipt() {
    setRecorded(null);
    reset();
    onDone?.();
  }

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (paying || recorded) return;
      const actions: Record<string, () => void> = {
        F2: () => scanRef.current?.focus(),
        F4: () => sellerRef.current?.focus(),
        F6: () => customerRef.current?.focus(),
        F8: () => reset(),
        F9: () => void openPayment(),
      };
      const action = actions[event.key];
      if (action) {
        event.preventDefault();
        action();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  // The stock this station knows (the last it received): selling past it is allowed, but said (POS-03).
  const shortLines = linesOverStock(lines, (id) => core.products.get(id)?.stock);
  // The store may block it instead (store settings, stockPolicy = block).
  const stockBlocked = shortLines.length > 0 && catalog.settings.stockPolicy === 'block';
  const promotionsApplied = totals ? [...new Set(totals.items.map((i) => i.promotionId).filter((id): id is string => !!id))] : [];
  const ready = catalog.sellers.length > 0 && catalog.paymentTypes.length > 0;

  return (
    <Box data-testid={ids.sale} data-ready={String(!!pos && ready)} data-seller-policy={catalog.settings.sellerPolicy} style={{ display: 'flex', gap: 12, flex: 1, minHeight: 0 }}>
      <Stack gap="xs" style={{ flex: 1, minWidth: 0 }}>
        <Group justify="space-between">
          <Title order={4}>{exchange ? t('pos.sale.exchangeTitle') : t('pos.sale.title')}</Title>
          <Text size="xs" c="dimmed">{t('pos.keys')}</Text>
        </Group>
        {!ready && <Alert color="orange">{t('pos.sale.noCatalog')}</Alert>}
        <Box pos="relative">
          <TextInput
            ref={scanRef}
            size="md"
            leftSection={<IconBarcode size={20} />}
            placeholder={t('pos.sale.scan')}
            value={scan}
            onChange={(e) => {
              setScan(e.currentTarget.value);
              setHighlight(0);
              setScanError(null);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                submitScan();
              } else if (e.key === 'ArrowDown') {
                e.preventDefault();
                setHighlight((h) => Math.min(h + 1, suggestions.length - 1));
              } else if (e.key === 'ArrowUp') {
                e.preventDefault();
                setHighlight((h) => Math.max(h - 1, 0));
              } else if (e.key === 'Escape') {
                setScan('');
              }
            }}
            error={scanError}
            data-testid={ids.scan}
            autoFocus
          />
          {scanError && <span data-testid={ids.scanError} hidden>{scanError}</span>}
          {suggestions.length > 0 && (
            <Paper shadow="md" withBorder pos="absolute" style={{ zIndex: 10, left: 0, right: 0, top: 44 }}>
              {suggestions.map((product, index) => (
                <Group
                  key={product.id}
                  justify="space-between"
                  px="sm"
                  py={4}
                  bg={index === highlight ? 'blue.0' : undefined}
                  style={{ cursor: 'pointer' }}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    addProduct(product, scan);
                  }}
                  data-testid={ids.suggestion}
                  data-product-id={product.id}
                >
                  <Text size="sm">{product.name}</Text>
                  <Text size="xs" c="dimmed" ff="monospace">{product.barcode} · {money(product.priceCents)}</Text>
                </Group>
              ))}
            </Paper>
          )}
        </Box>
        <Text size="xs" c="dimmed">{t('pos.sale.quantityHint')}</Text>
        <ScrollArea style={{ flex: 1 }} type="auto" offsetScrollbars>
          {lines.length === 0 ? (
            <Text c="dimmed" p="md">{t('pos.sale.empty')}</Text>
          ) : (
            // Fixed columns: the quantity and the amounts keep their width; the name takes what is left and wraps.
            // Below 1200 px the unit price and the discount move under the name, so the cart never scrolls sideways.
            <Table striped highlightOnHover layout="fixed">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('pos.sale.product')}</Table.Th>
                  <Table.Th w={92}>{t('pos.sale.qty')}</Table.Th>
                  <Table.Th w={104} ta="right" visibleFrom="lg">{t('pos.sale.unitPrice')}</Table.Th>
                  <Table.Th w={96} ta="right" visibleFrom="lg">{t('pos.sale.discount')}</Table.Th>
                  <Table.Th w={116} ta="right">{t('pos.sale.total')}</Table.Th>
                  <Table.Th w={72} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {lines.map((line, index) => {
                  const item = totals?.items[index];
                  const product = core.products.get(line.productId);
                  const promotion = item?.promotionId ? catalog.byId.get(item.promotionId) : undefined;
                  return (
                    <Table.Tr key={line.productId} data-testid={ids.cartRow} data-product-id={line.productId} data-quantity={line.quantity} data-total-cents={item?.totalCents ?? ''} data-promotion-id={item?.promotionId ?? ''}>
                      <Table.Td>
                        <Text size="sm">{product?.name ?? line.productId}</Text>
                        {item && (
                          <Text size="xs" c="dimmed" hiddenFrom="lg">
                            {item.unit ? t('pos.sale.perUnitLine', { price: money(item.unitPriceCents), unit: unitSymbol(item.unit) }) : t('pos.sale.unitLine', { price: money(item.unitPriceCents) })}
                            {item.discountCents ? ` · ${t('pos.sale.discountLine', { amount: money(item.discountCents) })}` : ''}
                          </Text>
                        )}
                        {product && line.quantity > product.stock && (
                          <Badge size="xs" color="orange" variant="light" mr={4} data-testid={ids.lineStock} data-stock={product.stock}>
                            {t('pos.sale.stockShort', { stock: formatUnitQuantity(product.stock, product.unit, i18n.language) })}
                          </Badge>
                        )}
                        {promotion && (
                          <Badge size="xs" color="teal" variant="light" maw="100%" data-testid={ids.promotion}>
                            {promotion.name}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <QuantityField
                          min={1}
                          unit={product?.unit}
                          value={line.quantity}
                          onChange={(quantity) => setLines((current) => current.map((l, i) => (i === index ? { ...l, quantity } : l)))}
                          aria-label={t('pos.sale.qty')}
                          data-testid={ids.lineQuantity}
                        />
                      </Table.Td>
                      <Table.Td ta="right" visibleFrom="lg">{item ? `${money(item.unitPriceCents)}${item.unit ? `/${unitSymbol(item.unit)}` : ''}` : ''}</Table.Td>
                      <Table.Td ta="right" visibleFrom="lg">{item?.discountCents ? money(item.discountCents) : ''}</Table.Td>
                      <Table.Td ta="right" fw={600}>{item ? money(item.totalCents) : ''}</Table.Td>
                      <Table.Td>
                        <Group gap={0} wrap="nowrap">
                          <ActionIcon variant="subtle" aria-label={t('pos.adjust.open')} onClick={() => setAdjusting(index)} data-testid={ids.lineAdjust}>
                            <IconDiscount2 size={16} />
                          </ActionIcon>
                          <ActionIcon variant="subtle" color="red" aria-label={t('pos.sale.remove')} onClick={() => setLines(lines.filter((_, i) => i !== index))} data-testid={ids.lineRemove}>
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          )}
        </ScrollArea>
      </Stack>
      <Stack gap="sm" w={{ base: 280, lg: 320 }} style={{ flexShrink: 0 }}>
        <NativeSelect
          ref={sellerRef}
          label={t('pos.sale.seller')}
          value={sellerId}
          onChange={(e) => setSellerId(e.currentTarget.value)}
          data={[{ value: '', label: t('pos.sale.chooseSeller'), disabled: true }, ...catalog.sellers.map((s) => ({ value: s.id, label: s.name }))]}
          error={sellerError ? t('pos.sale.sellerRequired') : null}
          withAsterisk
          data-testid={ids.seller}
        />
        <TextInput
          ref={customerRef}
          label={t('pos.sale.customer')}
          value={taxId}
          onChange={(e) => setTaxId(e.currentTarget.value)}
          onBlur={() => !taxIdInvalid && taxId && setTaxId(formatTaxId(taxId))}
          error={taxIdInvalid ? t('pos.sale.customerInvalid') : null}
          description={customer ? t('pos.sale.customerName', { name: customer.name }) : undefined}
          data-testid={ids.customer}
        />
        <Paper withBorder p="sm">
          <Stack gap={4}>
            <Group justify="space-between"><Text size="sm">{t('pos.sale.subtotal')}</Text><Text size="sm">{money(totals?.subtotalCents ?? 0)}</Text></Group>
            <Group justify="space-between"><Text size="sm">{t('pos.sale.discounts')}</Text><Text size="sm" c="teal">{money(totals?.discountCents ?? 0)}</Text></Group>
            {exchange && <Group justify="space-between"><Text size="sm">{t('pos.sale.credit')}</Text><Text size="sm" c="blue">− {money(credit)}</Text></Group>}
            <Group justify="space-between">
              <Text fw={700}>{exchange ? t('pos.sale.toPay') : t('pos.sale.total')}</Text>
              <Text fw={700} size="xl" data-testid={ids.total} data-cents={due}>{money(due)}</Text>
            </Group>
          </Stack>
        </Paper>
        {promotionsApplied.length > 0 && (
          <Paper withBorder p="sm">
            <Text size="xs" fw={600} mb={4}>{t('pos.sale.promotions')}</Text>
            {promotionsApplied.map((id) => (
              <Badge key={id} color="teal" variant="light" mr={4}>{catalog.byId.get(id)?.name ?? id}</Badge>
            ))}
          </Paper>
        )}
        <TextInput
          size="xs"
          label={t('pos.sale.saleDiscount')}
          value={saleDiscountText}
          onChange={(e) => setSaleDiscountText(e.currentTarget.value)}
          error={saleDiscountCents === null ? t('pos.payment.invalidAmount') : null}
          inputMode="decimal"
          data-testid={ids.saleDiscount}
        />
        {stockBlocked && (
          <Alert color="red" data-testid={ids.stockBlocked}>
            {t('pos.sale.stockBlocked', { items: shortLines.map((line) => core.products.get(line.productId)?.name ?? line.productId).join(', ') })}
          </Alert>
        )}
        {shortLines.length > 0 && (
          <Alert color="orange" data-testid={ids.stockWarning} data-count={shortLines.length}>
            {t('pos.sale.stockWarning', { items: shortLines.map((line) => core.products.get(line.productId)?.name ?? line.productId).join(', ') })}
          </Alert>
        )}
        {!quote.ok && <Alert color="red" data-testid={ids.saleError}>{ruleMessage(quote.error, i18n.language)}</Alert>}
        <Button size="lg" onClick={() => void openPayment()} disabled={!lines.length || !totals || !pos || !ready || stockBlocked} data-testid={ids.pay}>
          {t('pos.sale.pay')}
        </Button>
        <Button variant="default" onClick={reset} data-testid={ids.newSale}>
          {t('pos.sale.newSale')}
        </Button>
      </Stack>
      <PaymentModal
        opened={paying}
        catalog={catalog}
        dueCents={due}
        creditLeftCents={totals ? Math.max(0, credit - totals.totalCents) : 0}
        busy={busy}
        error={payError}
        onClose={() => setPaying(false)}
        onFinish={(payments) => void finish(payments)}
        lookUpVoucher={(text) => (pos ? pos.voucher(text) : Promise.reject(new Error('no pos')))}
        errorText={errorText}
      />
      <SupervisorDialog
        actions={asking}
        onCancel={() => setAsking(null)}
        onAuthorized={(given) => {
          const all = [...authorizations, ...given];
          setAuthorizations(all);
          setAsking(null);
          void openPayment(all);
        }}
      />
      <LineAdjust
        line={adjusting !== null ? (lines[adjusting] ?? null) : null}
        name={adjusting !== null ? (core.products.get(lines[adjusting]?.productId ?? '')?.name ?? '') : ''}
        listPriceText={(() => {
          const row = adjusting !== null ? core.products.get(lines[adjusting]?.productId ?? '') : undefined;
          return row ? money(unitPriceOf({ ...row, groupId: row.groupId ?? '' }, catalog.priceTable)) : '';
        })()}
        onClose={() => setAdjusting(null)}
        onSave={(line) => {
          setLines((current) => current.map((l, i) => (i === adjusting ? line : l)));
          setAdjusting(null);
        }}
      />
      <Receipt recorded={recorded} catalog={catalog} originalNumber={exchange?.originalNumber} onClose={closeReceipt} />
    </Box>
  );
}
