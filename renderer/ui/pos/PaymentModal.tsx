import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Group, Kbd, Modal, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { MasterRecord } from '../../../sync/schema/index.ts';
import { installmentPlan, sumCents } from '../../../sync/rules/index.ts';
import { conditionsFor, type PosCatalog } from '../../core/pos/catalog.ts';
import type { PaymentInput } from '../../core/pos/sale-draft.ts';
import type { VoucherInfo } from '../../core/pos/vouchers.ts';
import { MAX_AMOUNT_CENTS } from '../../core/pos/quantity.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { centsToInput, installmentParts, parseMoney } from './money.ts';
import { useMoney } from './use-money.ts';

const ids = TEST_IDS.pos.payment;

interface Props {
  opened: boolean;
  catalog: PosCatalog;
  /** What the payments must cover: sale total minus exchange credit. */
  dueCents: number;
  creditLeftCents: number;
  busy: boolean;
  error: string | null;
  onClose(): void;
  onFinish(payments: PaymentInput[]): void;
  /** A typed or scanned voucher number's balance as the station knows it (POS-21); rejects with the reason. */
  lookUpVoucher(text: string): Promise<VoucherInfo>;
  /** The text of a lookup's error, in the user's language. */
  errorText(error: unknown): string;
}

/** The payment step (POS-06): several payments, conditions with installments, change for cash. */
export function PaymentModal({ opened, catalog, dueCents, creditLeftCents, busy, error, onClose, onFinish, lookUpVoucher, errorText }: Props) {
  const { t } = useTranslation();
  const money = useMoney();
  const [payments, setPayments] = useState<PaymentInput[]>([]);
  const [typeId, setTypeId] = useState<string>('');
  const [conditionId, setConditionId] = useState<string>('');
  const [amount, setAmount] = useState('');
  const [amountError, setAmountError] = useState<string | null>(null);
  // POS-21: a voucher payment names the voucher; its balance (less what this sale already took) caps the amount.
  const [voucherText, setVoucherText] = useState('');
  const [voucher, setVoucher] = useState<VoucherInfo | null>(null);
  const [voucherError, setVoucherError] = useState<string | null>(null);
  const voucherRef = useRef<HTMLInputElement>(null);
  const amountRef = useRef<HTMLInputElement>(null);
  const typesRef = useRef<HTMLDivElement>(null);
  const finishRef = useRef<HTMLButtonElement>(null);

  const paid = sumCents(payments.map((p) => p.principalCents));
  const remaining = Math.max(0, dueCents - paid);
  const cashIds = useMemo(() => new Set(catalog.paymentTypes.filter((p) => p.method === 'cash').map((p) => p.id)), [catalog]);
  const cashPaid = sumCents(payments.filter((p) => cashIds.has(p.paymentTypeId)).map((p) => p.principalCents));
  const change = Math.max(0, Math.min(cashPaid, paid - dueCents));
  const conditions = typeId ? conditionsFor(catalog, typeId) : [];
  const isVoucher = catalog.byId.get(typeId)?.method === 'voucher';
  const voucherLeft = voucher ? Math.max(0, voucher.balanceCents - sumCents(payments.filter((p) => p.voucherNumber === voucher.number).map((p) => p.principalCents))) : 0;
  // Each payment as it will be recorded: the condition's interest on top of the part it pays.
  const priced = payments.map((p) => {
    const condition = p.paymentConditionId ? catalog.byId.get(p.paymentConditionId) : undefined;
    return installmentPlan(p.principalCents, condition?.installments ?? 1, condition?.interestBp ?? 0);
  });
  const interestCents = sumCents(priced.map((plan) => plan.interestCents));

  useEffect(() => {
    if (!opened) return;
    setPayments([]);
    setAmount(centsToInput(dueCents));
    setAmountError(null);
    setVoucherText('');
    setVoucher(null);
    setVoucherError(null);
    choose(catalog.paymentTypes[0]);
    // Reset only when the step opens for a new sale.
  }, [opened]);

  function choose(type: MasterRecord | undefined) {
    if (!type) return;
    setTypeId(type.id);
    const first = conditionsFor(catalog, type.id)[0];
    setConditionId(first?.id ?? '');
    setTimeout(() => (type.method === 'voucher' ? voucherRef.current?.focus() : amountRef.current?.select()), 0);
  }

  async function findVoucher() {
    setVoucher(null);
    setVoucherError(null);
    try {
      const found = await lookUpVoucher(voucherText);
      setVoucher(found);
      const taken = sumCents(payments.filter((p) => p.voucherNumber === found.number).map((p) => p.principalCents));
      setAmount(centsToInput(Math.min(Math.max(0, found.balanceCents - taken), remaining)));
      setTimeout(() => amountRef.current?.select(), 0);
    } catch (e) {
      setVoucherError(errorText(e));
    }
  }

  function add(): PaymentInput[] | null {
    const cents = parseMoney(amount);
    if (cents === null || cents <= 0 || cents > MAX_AMOUNT_CENTS) {
      setAmountError(t('pos.payment.invalidAmount'));
      return null;
    }
    if (isVoucher && (!voucher || cents > voucherLeft || cents > remaining)) {
      setAmountError(voucher ? t('pos.payment.voucherTooMuch', { amount: money(Math.min(voucherLeft, remaining)) }) : t('pos.payment.voucherFirst'));
      return null;
    }
    setAmountError(null);
    const next = [...payments, { paymentTypeId: typeId, ...(conditionId && !isVoucher ? { paymentConditionId: conditionId } : {}), principalCents: cents, ...(isVoucher && voucher ? { voucherNumber: voucher.number } : {}) }];
    setPayments(next);
    const left = Math.max(0, dueCents - sumCents(next.map((p) => p.principalCents)));
    setAmount(left > 0 ? centsToInput(left) : '');
    // Keys again: with something left, the digits choose the next payment type; otherwise Enter finishes.
    setTimeout(() => (left > 0 ? typesRef.current?.querySelector<HTMLButtonElement>('[data-selected="true"]') : finishRef.current)?.focus(), 0);
    return next;
  }

  function finish() {
    // Enter with an amount typed and nothing left to cover yet: the typed amount is the last payment.
    let list = payments;
    if (remaining > 0 && amount.trim()) list = add() ?? payments;
    onFinish(list);
  }

  function onKeyDown(event: React.KeyboardEvent) {
    if (event.key === 'F9') {
      event.preventDefault();
      finish();
      return;
    }
    const digit = Number(event.key);
    if (!event.ctrlKey && !event.altKey && event.target instanceof HTMLElement && event.target.tagName !== 'INPUT' && digit >= 1 && digit <= catalog.paymentTypes.length) {
      event.preventDefault();
      choose(catalog.paymentTypes[digit - 1]);
    }
  }

  const conditionLabel = (c: MasterRecord) => {
    const cents = parseMoney(amount) ?? remaining;
    const plan = installmentPlan(cents, c.installments ?? 1, c.interestBp ?? 0);
    return `${c.name} — ${t('pos.payment.installments', { count: c.installments ?? 1, amount: money(plan.installments.at(-1) ?? 0) })}${plan.interestCents ? ` (${t('pos.payment.interest', { amount: money(plan.interestCents) })})` : ''}`;
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('pos.payment.title')} size="lg" data-testid={ids.modal}>
      <Stack gap="sm" onKeyDown={onKeyDown}>
        <Group justify="space-between">
          <Text>{t('pos.payment.due')}</Text>
          <Text fw={700} size="xl">{money(dueCents)}</Text>
        </Group>
        {/* Focus starts here, not in the amount: the keys 1…n choose the payment type, as the hint says. */}
        <Group gap="xs" ref={typesRef}>
          {catalog.paymentTypes.map((type, index) => (
            <Button
              key={type.id}
              data-autofocus={index === 0 ? true : undefined}
              data-selected={String(type.id === typeId)}
              variant={type.id === typeId ? 'filled' : 'default'}
              onClick={() => choose(type)}
              data-testid={ids.type}
              data-payment-type-id={type.id}
              data-method={type.method}
              leftSection={<Kbd size="xs">{index + 1}</Kbd>}
            >
              {type.name}
            </Button>
          ))}
        </Group>
        {isVoucher && (
          <Group align="end" wrap="nowrap">
            <TextInput
              ref={voucherRef}
              label={t('pos.payment.voucherNumber')}
              placeholder="CX01-123"
              value={voucherText}
              onChange={(e) => {
                setVoucherText(e.currentTarget.value);
                setVoucher(null);
                setVoucherError(null);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  void findVoucher();
                }
              }}
              error={voucherError}
              description={voucher ? t('pos.payment.voucherBalance', { number: voucher.number, amount: money(voucherLeft) }) : undefined}
              data-testid={ids.voucherNumber}
              data-balance-cents={voucher ? voucherLeft : undefined}
              style={{ flex: 1 }}
            />
            <Button variant="light" onClick={() => void findVoucher()} data-testid={ids.voucherFind}>
              {t('pos.payment.voucherFind')}
            </Button>
          </Group>
        )}
        {/* The condition names the installments and their amount: a row of its own, never cut short. */}
        {conditions.length > 0 && !isVoucher && (
          <NativeSelect
            label={t('pos.payment.condition')}
            value={conditionId}
            onChange={(e) => setConditionId(e.currentTarget.value)}
            data={conditions.map((c) => ({ value: c.id, label: conditionLabel(c) }))}
            data-testid={ids.condition}
          />
        )}
        <Group align="end" wrap="nowrap">
          <TextInput
            ref={amountRef}
            label={t('pos.payment.amount')}
            value={amount}
            onChange={(e) => {
              setAmount(e.currentTarget.value);
              setAmountError(null);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                if (remaining === 0 && !amount.trim()) finish();
                else add();
              }
            }}
            error={amountError}
            data-testid={ids.amount}
            style={{ flex: 1 }}
          />
          <Button onClick={() => add()} variant="light" data-testid={ids.add}>
            {t('pos.payment.add')}
          </Button>
        </Group>
        {payments.length > 0 && (
          <Table striped>
            <Table.Tbody>
              {payments.map((p, index) => {
                const condition = p.paymentConditionId ? catalog.byId.get(p.paymentConditionId) : undefined;
                const plan = priced[index]!;
                return (
                  <Table.Tr key={index} data-testid={ids.line} data-amount-cents={plan.totalCents} data-interest-cents={plan.interestCents}>
                    <Table.Td>
                      {catalog.byId.get(p.paymentTypeId)?.name}
                      {p.voucherNumber && <Text size="xs" c="dimmed">{t('pos.receipt.voucherSpent', { number: p.voucherNumber })}</Text>}
                    </Table.Td>
                    <Table.Td>
                      {condition?.name}
                      {plan.installments.length > 1 && <Text size="xs" c="dimmed">{installmentParts(plan.totalCents, plan.installments.length, money)}</Text>}
                    </Table.Td>
                    <Table.Td ta="right">
                      {money(plan.totalCents)}
                      {plan.interestCents > 0 && <Text size="xs" c="dimmed">{t('pos.payment.interest', { amount: money(plan.interestCents) })}</Text>}
                    </Table.Td>
                    <Table.Td>
                      <Button size="compact-xs" variant="subtle" color="red" onClick={() => setPayments(payments.filter((_, i) => i !== index))}>
                        {t('pos.payment.remove')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
        <Group justify="space-between">
          <Text>{t('pos.payment.paid')}: {money(paid)}</Text>
          <Text c={remaining > 0 ? 'orange' : 'dimmed'} data-testid={ids.remaining} data-cents={remaining}>
            {t('pos.payment.remaining')}: {money(remaining)}
          </Text>
          <Text fw={700} c="teal" size="lg" data-testid={ids.change} data-cents={change}>
            {t('pos.payment.change')}: {money(change)}
          </Text>
        </Group>
        {interestCents > 0 && (
          <Group justify="space-between" data-testid={ids.totalWithInterest} data-cents={dueCents + interestCents}>
            <Text fw={600}>{t('pos.payment.totalWithInterest')}</Text>
            <Text fw={700}>{money(dueCents + interestCents)}</Text>
          </Group>
        )}
        {creditLeftCents > 0 && <Alert color="blue">{t('pos.payment.creditLeft', { amount: money(creditLeftCents) })}</Alert>}
        {error && (
          <Alert color="red" data-testid={ids.error}>
            {error}
          </Alert>
        )}
        <Text size="xs" c="dimmed">
          {t('pos.payment.keys', { count: catalog.paymentTypes.length })}
        </Text>
        <Button ref={finishRef} size="md" onClick={finish} loading={busy} disabled={remaining > 0 && !amount.trim()} data-testid={ids.finish}>
          {t('pos.payment.finish')}
        </Button>
      </Stack>
    </Modal>
  );
}
