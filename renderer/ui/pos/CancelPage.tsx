import { useState } from 'react';
import { Alert, NativeSelect, Stack, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Sale } from '../../../sync/schema/index.ts';
import { reasonsFor } from '../../core/pos/catalog.ts';
import { ConfirmButton } from '../ConfirmButton.tsx';
import { TEST_IDS } from '../../test-ids.ts';
import { usePosContext, usePosErrorText } from './pos-context.tsx';
import { SaleLookup } from './SaleLookup.tsx';
import { SaleSummaryCard } from './SaleSummaryCard.tsx';
import { SupervisorDialog } from './SupervisorDialog.tsx';
import type { Authorization } from '../../core/pos/pos.ts';
import { PosError } from '../../core/pos/errors.ts';

const ids = TEST_IDS.pos.cancel;

/** Cancel a sale (POS-10) or an exchange (POS-11): find it by number, a financial reason is required. */
export function CancelPage({ kind }: { kind: 'sale' | 'exchange' }) {
  const { t } = useTranslation();
  const { pos, catalog } = usePosContext();
  const errorText = usePosErrorText();
  const [sale, setSale] = useState<Sale | null | undefined>(undefined);
  const reasons = reasonsFor(catalog, kind === 'exchange' ? 'exchange' : 'cancel').concat(kind === 'exchange' ? reasonsFor(catalog, 'cancel') : []);
  const [reasonId, setReasonId] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Cancelling needs a supervisor (POS-20): confirming asks for the code, which then cancels.
  const [asking, setAsking] = useState(false);
  const confirm = async (authorization: Authorization) => {
    if (!pos || !sale) return;
    setBusy(true);
    setError(null);
    try {
      const cancelled = kind === 'exchange' ? await pos.cancelExchange(sale.id, reasonId, note, authorization) : await pos.cancelSale(sale.id, reasonId, note, authorization);
      setSale(cancelled);
      setDone(t(kind === 'exchange' ? 'pos.cancel.doneExchange' : 'pos.cancel.done', { number: cancelled.number }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack maw={640} gap="sm">
      <Title order={4}>{kind === 'exchange' ? t('pos.cancel.exchangeTitle') : t('pos.cancel.title')}</Title>
      <SaleLookup
        label={t('pos.cancel.find')}
        inputTestId={ids.find}
        buttonTestId={ids.findButton}
        onFound={(found) => {
          setSale(found);
          setDone(null);
          setError(null);
          setReasonId(reasons[0]?.id ?? '');
        }}
      />
      {sale === null && <Alert color="orange">{t('pos.cancel.notFound')}</Alert>}
      {sale && (
        <>
          <SaleSummaryCard sale={sale} testId={ids.sale} />
          {sale.status === 'cancelled' && !done && <Alert color="gray">{t('pos.cancel.alreadyCancelled')}</Alert>}
          {sale.status === 'finished' && (
            <>
              <NativeSelect
                label={t('pos.cancel.reason')}
                value={reasonId}
                onChange={(e) => setReasonId(e.currentTarget.value)}
                data={[{ value: '', label: '—' }, ...reasons.map((r) => ({ value: r.id, label: r.name }))]}
                data-testid={ids.reason}
                required
              />
              <TextInput label={t('pos.cancel.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} data-testid={ids.note} />
              <ConfirmButton
                color="red"
                onConfirm={() => {
                  if (!reasonId) setError(errorText(new PosError('reason_required')));
                  else setAsking(true);
                }}
                loading={busy}
                question={t(kind === 'exchange' ? 'pos.cancel.askExchange' : 'pos.cancel.ask', { number: sale.number })}
                data-testid={ids.confirm}
              >
                {kind === 'exchange' ? t('pos.cancel.confirmExchange') : t('pos.cancel.confirm')}
              </ConfirmButton>
            </>
          )}
        </>
      )}
      {error && (
        <Alert color="red" data-testid={ids.error}>
          {error}
        </Alert>
      )}
      {done && (
        <Alert color="teal" data-testid={ids.done}>
          {done}
        </Alert>
      )}
      <SupervisorDialog
        actions={asking ? ['cancel'] : null}
        onCancel={() => setAsking(false)}
        onAuthorized={([authorization]) => {
          setAsking(false);
          if (authorization) void confirm(authorization);
        }}
      />
    </Stack>
  );
}
