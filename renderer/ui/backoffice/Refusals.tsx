import { useEffect, type ReactNode } from 'react';
import { Alert, Button, Group, List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CollectionName, IntegrationError } from '../../../sync/schema/index.ts';
import { localRefusalDetail } from '../../core/backoffice/refusal-detail.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { OFFLINE_SYNC_STATUS } from '../../core/core.ts';
import { useCore, useErrorText, useObservable } from '../core-context.tsx';
import { usePosContext } from '../pos/pos-context.tsx';
import { useRefusals } from './use-backoffice.ts';
import { toast } from '../toast.ts';
import { useRetryRefusal } from '../pos/use-retry-refusal.ts';

/**
 * What the server refused of this screen's collections (integration errors), with its reason: a
 * refused change is kept on the server, never dropped, and the user fixes it here (e.g. a customer
 * with open receivables cannot be deactivated; usage after a cancellation is refused).
 *
 * A refused change of a record the server holds is undone on this device (it shows the server's
 * version again, sync/server/sync/refused-masters.ts): the refused version lives on in this list. Each
 * line has "Tentar de novo" (the server checks the refused version again against today's data, as the
 * admin's integration errors page does: after the receivables are paid, the deactivation goes through)
 * and, where the screen can edit it, "Corrigir" (opens the refused version in the screen's form).
 */
export function Refusals({ collections, label, actions, detail, fix }: {
  collections: readonly CollectionName[];
  /** How the user knows the refused record (a code, a name); `entry.document` is the refused version (an edit conflict's documentId is not the record's id). */
  label?: (documentId: string, entry: IntegrationError) => string;
  /** The ways to fix one refused document on this screen (e.g. change it, remove it): buttons, shown beside "Tentar de novo". */
  actions?: (documentId: string, entry: IntegrationError) => ReactNode;
  /** The refusal's detail in the user's language from this screen's data (e.g. the contract a usage record names). */
  detail?: (entry: IntegrationError) => string | null;
  /** How to open the refused version (`entry.document`) in the screen's form; null (or no `fix`) for a line without "Corrigir" (e.g. a refused deletion). */
  fix?: (entry: IntegrationError) => (() => void) | null;
}) {
  const { t, i18n } = useTranslation();
  const refusals = useRefusals(collections);
  const core = useCore();
  const { refreshIntegrationErrors } = usePosContext();
  const status = useObservable(core.sync$, OFFLINE_SYNC_STATUS);
  const errorText = useErrorText();
  const { retrying, retry } = useRetryRefusal('bo-refusals', errorText, (result) => {
    if (result.resolvedAt) toast('bo-refusals', t('bo.refusalRetried'), 'teal');
    else toast('bo-refusals', t('bo.refusalStillRefused', { reason: t(`pos.errors.reasons.${result.reason}`, { defaultValue: result.reason }) }), 'orange');
  });
  // Look again whenever the uploads drain: a refusal then shows at once, not at the next periodic refresh.
  useEffect(() => {
    if (status.online && status.pendingUploads === 0) void refreshIntegrationErrors();
  }, [status.online, status.pendingUploads, refreshIntegrationErrors]);
  if (refusals.length === 0) return null;
  const english = !i18n.language.toLowerCase().startsWith('pt');
  return (
    <Alert color="red" mb="xs" data-testid={TEST_IDS.backoffice.refusals} data-count={refusals.length}>
      <Text size="sm" fw={600}>{t('bo.refusals', { count: refusals.length })}</Text>
      <Text size="xs" c="dimmed">{t('bo.refusalKept')}</Text>
      <List size="sm">
        {refusals.map((entry) => {
          const openFix = fix?.(entry) ?? null;
          return (
          <List.Item key={entry.id} data-document-id={entry.documentId}>
            {/* The reason in the user's language (the POS screens' texts). */}
            <b>{label?.(entry.documentId, entry) ?? entry.documentId}</b>: {t(`pos.errors.hints.${entry.reason}`, { defaultValue: t(`pos.errors.reasons.${entry.reason}`, { defaultValue: '' }) })}
            {/* The server writes its detail in English: an English-speaking user reads it as it is; in pt-BR the
                device's own rules say it again from the refused record when they can (refusal-detail.ts). */}
            {(() => {
              const text = english ? entry.message : (detail?.(entry) ?? localRefusalDetail(entry, i18n.language));
              return text ? <Text size="xs" c="dimmed">{text}</Text> : null;
            })()}
            <Group gap="xs" mt={4}>
              {openFix && (
                <Button size="compact-xs" variant="light" onClick={openFix} data-testid={TEST_IDS.backoffice.refusalFix}>{t('bo.refusalFix')}</Button>
              )}
              <Button size="compact-xs" variant="light" onClick={() => void retry(entry)} loading={retrying === entry.id} data-testid={TEST_IDS.backoffice.refusalRetry}>{t('bo.refusalRetry')}</Button>
              {actions?.(entry.documentId, entry)}
            </Group>
          </List.Item>
          );
        })}
      </List>
    </Alert>
  );
}
