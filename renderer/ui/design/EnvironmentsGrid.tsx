import { ActionIcon, Badge, Card, Group, SimpleGrid, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { DesignEnvironmentDoc } from '../../../sync/schema/index.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { isOutdated, newestVersion, type PendingEnvironment } from '../../core/design/view.ts';
import { useMoney } from '../pos/use-money.ts';
import { OutdatedMark, StageBadge, StatusBadge } from './badges.tsx';
import { useDesign } from './design-context.tsx';

const ids = TEST_IDS.design.project;

/**
 * The environments of a project (DES-04, DES-07): each with its creation status, the yellow mark when
 * the design software saved something newer, and the refresh icon that leads to the update.
 */
export function EnvironmentsGrid({ environments, pending }: { environments: DesignEnvironmentDoc[]; pending: PendingEnvironment[] }) {
  const { t } = useTranslation();
  const { open, design } = useDesign();
  const money = useMoney();
  const mayUpdate = design?.can('updateEnvironment') ?? false;
  if (environments.length === 0 && pending.length === 0) return <Text size="sm" c="dimmed">{t('design.environments.empty')}</Text>;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
      {pending.map((entry) => (
        <Card key={entry.actionId} withBorder padding="sm" data-testid={ids.environment} data-environment-id={entry.id} data-status="creating" data-outdated="false" data-pending="true">
          <Group justify="space-between" wrap="nowrap">
            <Text fw={600}>{entry.name}</Text>
            <StatusBadge env={{ status: 'creating' }} />
          </Group>
          <Text size="xs" c="dimmed" mt={4}>{t('design.environments.waitingServer')}</Text>
        </Card>
      ))}
      {environments.map((env) => {
        const outdated = isOutdated(env);
        const newest = newestVersion(env);
        return (
          <Card
            key={env.id}
            withBorder
            padding="sm"
            style={outdated ? { borderColor: 'var(--mantine-color-yellow-5)', borderWidth: 2, background: 'var(--mantine-color-yellow-0)' } : undefined}
            data-testid={ids.environment}
            data-environment-id={env.id}
            data-status={env.status}
            data-outdated={String(outdated)}
            data-stage={env.stage}
            data-versions={env.versions.length}
            data-pending="false"
          >
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <UnstyledButton onClick={() => open({ page: 'environment', environmentId: env.id })} disabled={env.status !== 'ready'} data-testid={ids.environmentOpen}>
                <Text fw={600} c={env.status === 'ready' ? 'blue' : undefined}>{env.name}</Text>
              </UnstyledButton>
              <Group gap={4} wrap="nowrap">
                {outdated && mayUpdate && (
                  <Tooltip label={t('design.environments.refresh')}>
                    <ActionIcon variant="filled" color="yellow" aria-label={t('design.environments.refresh')} onClick={() => open({ page: 'environment', environmentId: env.id, showUpdate: true })} data-testid={ids.refresh}>
                      <IconRefresh size={16} color="black" />
                    </ActionIcon>
                  </Tooltip>
                )}
                <StatusBadge env={env} />
              </Group>
            </Group>
            {env.status === 'failed' && (
              <Text size="xs" c="red.8" mt={4}>
                {t('design.environments.failed', { reason: env.failure ?? '' })}
              </Text>
            )}
            {env.status === 'ready' && (
              <Group gap={6} mt={6}>
                <StageBadge stage={env.stage} />
                {outdated && <OutdatedMark label={t('design.environments.outdated')} />}
                {env.occurrence && <Badge variant="outline" color="orange">{t('design.environments.occurrence', { number: env.occurrence.number })}</Badge>}
                <Text size="xs" c="dimmed">
                  {newest ? t('design.environments.version', { number: newest.number, option: newest.optionName }) : t('design.environments.noVersion')}
                </Text>
                <Text size="sm" fw={600} ml="auto">{money(env.budget.totalCents)}</Text>
              </Group>
            )}
          </Card>
        );
      })}
    </SimpleGrid>
  );
}
