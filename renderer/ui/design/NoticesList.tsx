import { ActionIcon, Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconBell, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { TEST_IDS } from '../../test-ids.ts';
import { useDateTime } from '../pos/use-money.ts';
import { useDesign } from './design-context.tsx';

const ids = TEST_IDS.design;

/** The open "environment changed — update" notices (DES-05), each one click from its update (DES-07). */
export function NoticesList({ projectId }: { projectId?: string }) {
  const { t } = useTranslation();
  const { notices, open, dismiss } = useDesign();
  const dateTime = useDateTime();
  const list = notices.filter((notice) => !notice.doneAt && (!projectId || notice.projectId === projectId));
  if (list.length === 0) return null;
  return (
    <Stack gap={4}>
      {list.map((notice) => (
        <Alert key={notice.id} color="yellow" variant="light" icon={<IconBell size={18} />} p="xs" data-testid={ids.notice} data-environment-id={notice.environmentId} data-revision={notice.designRevision} data-done="false">
          <Group justify="space-between" wrap="nowrap">
            <div>
              <Text size="sm" fw={600}>{t('design.notice.title', { name: notice.environmentName })}</Text>
              <Text size="xs" c="dimmed">
                {t('design.notice.body', { revision: notice.designRevision, option: notice.optionName ?? '' })} · {dateTime(notice.at)}
              </Text>
            </div>
            <Group gap={4} wrap="nowrap">
              <Button size="xs" onClick={() => open({ page: 'environment', environmentId: notice.environmentId, showUpdate: true })} data-testid={ids.noticeOpen}>
                {t('design.notice.update')}
              </Button>
              <ActionIcon variant="subtle" color="gray" aria-label={t('design.notice.dismiss')} onClick={() => dismiss(notice.id)} data-testid={ids.noticeDismiss}>
                <IconX size={16} />
              </ActionIcon>
            </Group>
          </Group>
        </Alert>
      ))}
    </Stack>
  );
}
