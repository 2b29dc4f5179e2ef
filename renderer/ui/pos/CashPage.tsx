import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CASH_MOVEMENT_KINDS, type CashMovement } from '../../../sync/schema/index.ts';
import { reasonsFor } from '../../core/pos/catalog.ts';
import type { Authorization, CashKind } from '../../core/pos/pos.ts';
import { PosError } from '../../core/pos/errors.ts';
import { SupervisorDialog } from './SupervisorDialog.tsx';
import { TillClosing } from './TillClosing.tsx';
import { MAX_AMOUNT_CENTS } from '../../core/pos/quantity.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { parseMoney } from './money.ts';
import { usePosContext, usePosErrorText } from './pos-context.tsx';
import { useDateTime, useMoney } from './use-money.ts';
import { useLive } from './use-live.ts';

const ids = TEST_IDS.pos.cash;

/** Cash drawer movements (POS-05): opening, supply and withdrawal with a financial reason, closing. */
export function CashPage() {
  const { t } = useTranslation();
  const { pos, catalog } = usePosContext();
  const money = useMoney();
  const dateTime = useDateTime();
  const errorText = usePosErrorText();
  const movements = useLive<CashMovement>(() => pos?.cashMovements$() ?? null, [pos]);
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<CashKind>('opening');
  const [amount, setAmount] = useState('');
  const [reasonId, setReasonId] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const reasons = kind === 'supply' || kind === 'withdrawal' ? reasonsFor(catalog, kind) : [];

  useEffect(() => {
    void pos?.cashOpen().then((isOpen) => {
      setOpen(isOpen);
      setKind((current) => (isOpen && current === 'opening' ? 'supply' : !isOpen && current !== 'closing' ? 'opening' : current));
    });
  }, [pos, movements]);
  useEffect(() => setReasonId(reasons[0]?.id ?? ''), [kind, catalog]);

  // POS-19: a withdrawal larger than the cash in the drawer waits for a supervisor's code.
  const [overDrawn, setOverDrawn] = useState(false);
  const [asking, setAsking] = useState(false);
  const [reportShown, setReportShown] = useState(false);
  const save = async (authorization?: Authorization) => {
    if (!pos) return;
    setOverDrawn(false);
    setError(null);
    setMessage(null);
    const cents = parseMoney(amount);
    if (cents === null || cents > MAX_AMOUNT_CENTS) {
      setError(t('pos.payment.invalidAmount'));
      return;
    }
    try {
      await pos.recordCash(kind, cents, reasonId || undefined, note, authorization);
      setMessage(t('pos.cash.saved', { kind: t(`pos.cash.kinds.${kind}`), amount: money(cents) }));
      setAmount('');
      setNote('');
    } catch (e) {
      setError(errorText(e));
      setOverDrawn(e instanceof PosError && e.code === 'withdrawal_exceeds_cash');
    }
  };

  const mine = movements.filter((m) => m.stationId === pos?.stationId);
  return (
    <Stack gap="sm" maw={820}>
      <Group>
        <Title order={4}>{t('pos.cash.title')}</Title>
        <Badge color={open ? 'teal' : 'gray'} data-testid={ids.state} data-open={String(open)}>
          {open ? t('pos.cash.open') : t('pos.cash.closed')}
        </Badge>
      </Group>
      {kind === 'closing' && (open || reportShown) ? (
        // Stays mounted while its report is on screen: the till is closed by then.
        <TillClosing onClosed={() => setReportShown(true)} onReportClosed={() => {
            setReportShown(false);
            setKind('opening');
          }} />
      ) : null}
      <Group align="end" display={kind === 'closing' && open ? 'none' : undefined}>
        <NativeSelect
          label={t('pos.cash.kind')}
          value={kind}
          onChange={(e) => setKind(e.currentTarget.value as CashKind)}
          data={CASH_MOVEMENT_KINDS.map((k) => ({ value: k, label: t(`pos.cash.kinds.${k}`) }))}
          data-testid={ids.kind}
        />
        <TextInput
          label={t('pos.cash.amount')}
          value={amount}
          onChange={(e) => {
            setAmount(e.currentTarget.value);
            setError(null);
          }}
          onKeyDown={(e) => e.key === 'Enter' && void save()}
          data-testid={ids.amount}
          w={140}
        />
        {reasons.length > 0 && (
          <NativeSelect label={t('pos.cash.reason')} value={reasonId} onChange={(e) => setReasonId(e.currentTarget.value)} data={reasons.map((r) => ({ value: r.id, label: r.name }))} data-testid={ids.reason} />
        )}
        <TextInput label={t('pos.cash.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} data-testid={ids.note} />
        <Button onClick={() => void save()} data-testid={ids.save}>
          {t('pos.cash.save')}
        </Button>
      </Group>
      {kind === 'closing' && open && (
        <NativeSelect
          label={t('pos.cash.kind')}
          value={kind}
          onChange={(e) => setKind(e.currentTarget.value as CashKind)}
          data={CASH_MOVEMENT_KINDS.map((k) => ({ value: k, label: t(`pos.cash.kinds.${k}`) }))}
          w={200}
        />
      )}
      {error && (
        <Alert color="red" data-testid={ids.error}>
          {error}
          {overDrawn && (
            <Button size="xs" ml="sm" variant="white" onClick={() => setAsking(true)} data-testid={ids.supervisor}>
              {t('pos.closing.askSupervisor')}
            </Button>
          )}
        </Alert>
      )}
      <SupervisorDialog
        actions={asking ? ['withdrawal'] : null}
        onCancel={() => setAsking(false)}
        onAuthorized={([authorization]) => {
          setAsking(false);
          void save(authorization);
        }}
      />
      {message && <Alert color="teal">{message}</Alert>}
      {mine.length === 0 ? (
        <Text c="dimmed">{t('pos.cash.empty')}</Text>
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('pos.cash.at')}</Table.Th>
              <Table.Th>{t('pos.cash.kind')}</Table.Th>
              <Table.Th ta="right">{t('pos.cash.amount')}</Table.Th>
              <Table.Th>{t('pos.cash.reason')}</Table.Th>
              <Table.Th>{t('pos.cash.note')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {mine.map((m) => (
              <Table.Tr key={m.id} data-testid={ids.row} data-kind={m.kind}>
                <Table.Td>{dateTime(m.at)}</Table.Td>
                <Table.Td>{t(`pos.cash.kinds.${m.kind}`)}</Table.Td>
                <Table.Td ta="right">{money(m.amountCents)}</Table.Td>
                <Table.Td>{m.reasonId ? catalog.byId.get(m.reasonId)?.name : ''}</Table.Td>
                <Table.Td>{m.note}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
