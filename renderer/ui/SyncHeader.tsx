import { useState } from 'react';
import { Badge, Button, Group, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCloudUpload, IconWifi, IconWifiOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { TEST_IDS } from '../test-ids.ts';
import { useCore, useObservable } from './core-context.tsx';

/** Connection state, pending uploads, send-now, last sync and last error: always in the header. */
export function SyncHeader() {
  const core = useCore();
  const { t, i18n } = useTranslation();
  const status = useObservable(core.sync$, { online: false, pendingUploads: 0, lastSyncAt: null, lastError: null, initialSync: { done: false, pulled: 0 } });
  const [sending, setSending] = useState(false);
  const lastSync = status.lastSyncAt
    ? new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(status.lastSyncAt))
    : t('common.never');

  const sendNow = async () => {
    setSending(true);
    try {
      await core.sendNow();
    } finally {
      setSending(false);
    }
  };

  return (
    <Group gap="xs" wrap="nowrap">
      <Badge
        data-testid={TEST_IDS.shell.connectionBadge}
        data-online={String(status.online)}
        color={status.online ? 'teal' : 'gray'}
        variant="light"
        leftSection={status.online ? <IconWifi size={14} /> : <IconWifiOff size={14} />}
      >
        {status.online ? t('shell.online') : t('shell.offline')}
      </Badge>
      <Badge
        data-testid={TEST_IDS.shell.pendingCount}
        data-count={status.pendingUploads}
        color={status.pendingUploads > 0 ? 'orange' : 'gray'}
        variant={status.pendingUploads > 0 ? 'filled' : 'outline'}
      >
        {t('shell.pending', { count: status.pendingUploads })}
      </Badge>
      <Button
        size="compact-sm"
        variant="default"
        leftSection={<IconCloudUpload size={16} />}
        loading={sending}
        onClick={() => void sendNow()}
        data-testid={TEST_IDS.shell.sendNow}
      >
        {t('shell.sendNow')}
      </Button>
      <Text size="xs" c="dimmed" data-testid={TEST_IDS.shell.lastSync} visibleFrom="md">
        {t('shell.lastSync', { time: lastSync })}
      </Text>
      {status.lastError && (
        <Tooltip label={t('shell.lastError', { error: status.lastError })} multiline w={320}>
          {/* The engine's message is technical English: the badge says what it means, the tooltip keeps the detail. */}
          <Badge color={status.online ? 'red' : 'gray'} variant="light" leftSection={<IconAlertTriangle size={14} />} data-testid={TEST_IDS.shell.lastError} maw={260}>
            {status.online ? t('shell.syncError') : t('shell.unreachable')}
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}
