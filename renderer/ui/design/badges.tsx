import { Badge, Loader, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCircleCheckFilled } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { DesignEnvironmentDoc, DesignProject } from '../../../sync/schema/index.ts';

const STAGE_COLORS: Record<string, string> = { negotiating: 'blue', converted: 'grape', released: 'cyan', reviewing: 'orange', reviewed: 'teal' };

export function StageBadge({ stage, testId }: { stage: DesignProject['stage'] | DesignEnvironmentDoc['stage']; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={STAGE_COLORS[stage] ?? 'gray'} data-testid={testId} data-stage={stage}>
      {t(`design.stage.${stage}`)}
    </Badge>
  );
}

/** creating (spinner) / ready / failed (with the reason on hover and below). */
export function StatusBadge({ env }: { env: Pick<DesignEnvironmentDoc, 'status' | 'failure'> }) {
  const { t } = useTranslation();
  if (env.status === 'creating') {
    return (
      <Badge variant="light" color="gray" leftSection={<Loader size={10} />}>
        {t('design.status.creating')}
      </Badge>
    );
  }
  if (env.status === 'failed') {
    return (
      <Tooltip label={env.failure ?? t('design.status.failedHint')} multiline w={280}>
        <Badge variant="filled" color="red" leftSection={<IconAlertTriangle size={12} />}>
          {t('design.status.failed')}
        </Badge>
      </Tooltip>
    );
  }
  return (
    <Badge variant="light" color="teal" leftSection={<IconCheck size={12} />}>
      {t('design.status.ready')}
    </Badge>
  );
}

/** The yellow mark of an outdated environment (DES-07). */
export function OutdatedMark({ label }: { label: string }) {
  return (
    <Badge color="yellow" variant="filled" c="dark" leftSection={<IconAlertTriangle size={12} />}>
      {label}
    </Badge>
  );
}

/** The green mark: newest version (DES-08), linked design user (DES-02). */
export function GreenMark({ label, testId }: { label: string; testId?: string }) {
  return (
    <Badge color="green" variant="filled" leftSection={<IconCircleCheckFilled size={12} />} data-testid={testId}>
      {label}
    </Badge>
  );
}
