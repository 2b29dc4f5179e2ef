import { useState } from 'react';
import { Badge, Button, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCloudUpload, IconWifi, IconWifiOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Sale } from '../../sync/schema/index.ts';
import { saleSyncState } from '../core/pos/sync-state.ts';
import { usePosContext } from './pos/pos-context.tsx';
import { useLive } from './pos/use-live.ts';
import { dateTimeFormat } from '../i18n/format.ts';
import { TEST_IDS } from '../test-ids.ts';
import { coreErrorCode } from '../core/errors.ts';
import { useCore, useObservable } from './core-context.tsx';
import { syncProblemOf } from './sync-header-state.ts';
import { OFFLINE_SYNC_STATUS } from '../core/core.ts';
import { toast } from './toast.ts';

const TOOLTIP_WIDTH = 340;

/**
 * Connection state, pending uploads, send-now and the last problem: always in the header, kept to
 * short badges so it fits at 1024 px; the long "what happened / what to do" text is in tooltips.
 */
export function SyncHeader() {
  const core = useCore();
  const { t, i18n } = useTranslation();
  const status = useObservable(core.sync$, OFFLINE_SYNC_STATUS);
  const { syncUnavailable } = useObservable(core.state$, core.state);
  const [sending, setSending] = useState(false);
  const lastSync = t('shell.lastSync', {
    time: status.lastSyncAt
      ? dateTimeFormat(i18n.language).format(new Date(status.lastSyncAt))
      : t('common.never'),
  });
  // What the cashier thinks of is sales: the badge counts this station's sales not yet on the server,
  // and says "other records" only when nothing but internal records (audit, cash, …) waits.
  const { pos, watermark, refusedIds } = usePosContext();
  const sales = useLive<Sale>(() => pos?.sales$() ?? null, [pos]);
  const pendingSales = status.pendingUploads === 0 ? 0 : sales.filter((sale) => sale.stationId === pos?.stationId && saleSyncState(sale, watermark, refusedIds) === 'pending').length;
  const pendingLabel = !pos
    ? t('shell.pending', { count: status.pendingUploads })
    : pendingSales > 0
      ? t('shell.pendingSales', { count: pendingSales })
      : status.pendingUploads > 0
        ? t('shell.pendingOther', { count: status.pendingUploads })
        : t('shell.pending', { count: 0 });
  const problem = syncProblemOf(status);
  // Offline, "no connection" is what the connection badge already says: one badge, not two.
  const problemInConnectionBadge = problem === 'unreachable' && !status.online;

  const sendNow = async () => {
    setSending(true);
    try {
      await core.sendNow();
      toast('sync-send-now', t('shell.sentNow'), 'teal');
    } catch (error) {
      const code = coreErrorCode(error);
      toast('sync-send-now', code === 'server_unreachable' ? t('shell.sendNowUnreachable') : t(`errors.${code}`), code === 'server_unreachable' ? 'yellow' : 'red', { title: t('shell.sendNowFailed'), autoClose: 10_000 });
    } finally {
      setSending(false);
    }
  };

  const problemDetail = problem && (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {t(`shell.problems.${problem}.label`)}
      </Text>
      <Text size="sm">{t(`shell.problems.${problem}.detail`)}</Text>
      <Text size="xs" opacity={0.75}>
        {t('shell.errorDetail', { error: status.lastError })}
      </Text>
    </Stack>
  );

  return (
    <Group gap="xs" wrap="nowrap">
      <Tooltip
        label={
          problemInConnectionBadge ? (
            <Stack gap={4}>
              {problemDetail}
              <Text size="xs">{lastSync}</Text>
            </Stack>
          ) : (
            lastSync
          )
        }
        multiline
        w={problemInConnectionBadge ? TOOLTIP_WIDTH : undefined}
      >
        <Badge
          data-testid={TEST_IDS.shell.connectionBadge}
          data-online={String(status.online)}
          color={status.online ? 'teal' : 'gray'}
          variant="light"
          leftSection={status.online ? <IconWifi size={14} /> : <IconWifiOff size={14} />}
        >
          {status.online ? t('shell.online') : t('shell.offline')}
        </Badge>
      </Tooltip>
      <Tooltip label={t('shell.pendingHint')} multiline w={280}>
        <Badge
          data-testid={TEST_IDS.shell.pendingCount}
          data-count={status.pendingUploads}
          data-sales={pendingSales}
          color={status.pendingUploads > 0 ? 'orange' : 'gray'}
          variant={status.pendingUploads > 0 ? 'filled' : 'outline'}
        >
          {pendingLabel}
        </Badge>
      </Tooltip>
      <Button
        size="compact-sm"
        variant="default"
        leftSection={<IconCloudUpload size={16} />}
        loading={sending}
        disabled={syncUnavailable}
        onClick={() => void sendNow()}
        data-testid={TEST_IDS.shell.sendNow}
      >
        {t('shell.sendNow')}
      </Button>
      {/* Wide screens only; narrower ones have it in the connection badge's tooltip. */}
      <Text size="xs" c="dimmed" data-testid={TEST_IDS.shell.lastSync} visibleFrom="xl">
        {lastSync}
      </Text>
      {problem && !problemInConnectionBadge && (
        <Tooltip label={problemDetail} multiline w={TOOLTIP_WIDTH}>
          <Badge
            color={problem === 'unreachable' ? 'gray' : 'red'}
            variant="light"
            leftSection={<IconAlertTriangle size={14} />}
            data-testid={TEST_IDS.shell.lastError}
            data-problem={problem}
            style={{ flexShrink: 0 }}
          >
            {t(`shell.problems.${problem}.label`)}
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}
