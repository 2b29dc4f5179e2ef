import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, Loader, Select, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconArrowLeft, IconRefresh, IconTool } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { DesignEnvironmentDoc } from '../../../sync/schema/index.ts';
import type { OccurrenceSource } from '../../core/design/design.ts';
import { isOutdated } from '../../core/design/view.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { ApproveTab, RefusalAlert } from './ApproveTab.tsx';
import { StageBadge, StatusBadge } from './badges.tsx';
import { useDesign, useDesignErrorText, type DesignRoute, type EnvironmentTab } from './design-context.tsx';
import { HistoryList } from './HistoryList.tsx';
import { ItemsTab } from './ItemsTab.tsx';
import { UpdateModal } from './UpdateModal.tsx';
import { OpenInDesign, VersionsTab } from './VersionsTab.tsx';
import { toast } from '../toast.ts';

const ids = TEST_IDS.design.environment;

/** `route` is a new object on every navigation, so opening the same notice twice opens the update twice. */
export function EnvironmentPage({ route }: { route: Extract<DesignRoute, { page: 'environment' }> }) {
  const { environmentId, tab, showUpdate } = route;
  const { t } = useTranslation();
  const { design, environments, projects, actions, open } = useDesign();
  const env = environments.find((candidate) => candidate.id === environmentId);
  const project = env ? projects.find((p) => p.id === env.projectId) : undefined;
  const [current, setCurrent] = useState<EnvironmentTab>(tab ?? 'items');
  const [updating, setUpdating] = useState(!!showUpdate);
  useEffect(() => {
    setUpdating(!!showUpdate);
    setCurrent(tab ?? 'items');
  }, [route, showUpdate, tab]);

  if (!env) {
    return (
      <Stack gap="sm">
        <Button variant="subtle" leftSection={<IconArrowLeft size={16} />} onClick={() => open({ page: 'projects' })} w="fit-content">
          {t('design.projects.title')}
        </Button>
        <Alert color="gray">{t('design.environment.notFound')}</Alert>
      </Stack>
    );
  }

  const outdated = isOutdated(env);
  const mayUpdate = design?.can('updateEnvironment') ?? false;
  const updateRequested = actions.some((a) => a.kind === 'updateEnvironment' && a.environmentId === env.id && (a.designRevision ?? 0) >= env.latestDesignRevision);

  return (
    <Stack gap="sm" style={{ overflow: 'auto' }} data-testid={ids.page} data-environment-id={env.id} data-outdated={String(outdated)} data-stage={env.stage}>
      <Button variant="subtle" leftSection={<IconArrowLeft size={16} />} onClick={() => open({ page: 'project', projectId: env.projectId })} data-testid={ids.back} w="fit-content">
        {project?.name ?? t('design.projects.title')}
      </Button>
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="xs">
            <Title order={4}>{env.name}</Title>
            <StatusBadge env={env} />
            <StageBadge stage={env.stage} />
            {env.occurrence && <Badge variant="outline" color="orange">{t(`design.occurrence.source.${env.occurrence.source}`)}</Badge>}
          </Group>
          {env.designEnvironmentId && <Text size="xs" c="dimmed">{t('design.environment.designId', { id: env.designEnvironmentId })}</Text>}
        </div>
        <OpenInDesign env={env} />
      </Group>
      {outdated && (
        <Alert color="yellow" variant="filled" c="dark" icon={<IconAlertTriangle size={20} color="black" />} data-testid={ids.outdated}>
          <Group justify="space-between">
            <Text size="sm" c="dark">
              {t('design.environment.outdated', { revision: env.latestDesignRevision, option: env.latestSave?.optionName ?? '' })}
            </Text>
            {mayUpdate &&
              (updateRequested ? (
                <Group gap={6}>
                  <Loader size="xs" color="dark" />
                  <Text size="sm" c="dark">{t('design.environment.updateRequested')}</Text>
                </Group>
              ) : (
                <Button size="xs" color="dark" leftSection={<IconRefresh size={14} />} onClick={() => setUpdating(true)} data-testid={ids.update}>
                  {t('design.environment.update')}
                </Button>
              ))}
          </Group>
        </Alert>
      )}
      {current !== 'approve' && <RefusalAlert env={env} onUpdate={mayUpdate ? () => setUpdating(true) : undefined} />}
      <Tabs value={current} onChange={(value) => setCurrent((value as EnvironmentTab | null) ?? 'items')} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="items" data-testid={ids.tabItems}>{t('design.environment.tabs.items', { count: env.items.length })}</Tabs.Tab>
          <Tabs.Tab value="versions" data-testid={ids.tabVersions}>{t('design.environment.tabs.versions', { count: env.versions.length })}</Tabs.Tab>
          <Tabs.Tab value="approve" data-testid={ids.tabApprove}>{t('design.environment.tabs.approve')}</Tabs.Tab>
          <Tabs.Tab value="history" data-testid={ids.tabHistory}>{t('design.environment.tabs.history')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="items" pt="sm">
          <ItemsTab env={env} />
        </Tabs.Panel>
        <Tabs.Panel value="versions" pt="sm">
          <VersionsTab env={env} />
        </Tabs.Panel>
        <Tabs.Panel value="approve" pt="sm">
          <ApproveTab env={env} onUpdate={() => setUpdating(true)} />
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="sm">
          <HistoryList history={project?.history ?? []} environments={environments} environmentId={env.id} />
        </Tabs.Panel>
      </Tabs>
      {env.stage === 'reviewed' && design?.can('createOccurrence') && <OccurrenceForm env={env} />}
      <UpdateModal env={env} opened={updating && outdated} onClose={() => setUpdating(false)} />
    </Stack>
  );
}

/** Technical assistance (DES-16): hand items only, a blank file, or a copy of the revision's environment. */
function OccurrenceForm({ env }: { env: DesignEnvironmentDoc }) {
  const { t } = useTranslation();
  const { design, open } = useDesign();
  const errorText = useDesignErrorText();
  const [source, setSource] = useState<OccurrenceSource>('copy');
  const [error, setError] = useState<string | null>(null);
  const create = async () => {
    setError(null);
    try {
      await design!.createOccurrence(env.id, source);
      toast('design-environment', t('design.occurrence.created', { name: env.name }), 'teal');
      open({ page: 'project', projectId: env.projectId });
    } catch (cause) {
      setError(errorText(cause));
    }
  };
  return (
    <Alert color="gray" variant="light" icon={<IconTool size={18} />} title={t('design.occurrence.title')}>
      <Group gap="xs" align="flex-end">
        <Select
          label={t('design.occurrence.sourceLabel')}
          data={(['manual', 'blank', 'copy'] as const).map((value) => ({ value, label: t(`design.occurrence.source.${value}`) }))}
          value={source}
          onChange={(value) => setSource((value as OccurrenceSource | null) ?? 'copy')}
          allowDeselect={false}
          data-testid={ids.occurrenceSource}
          w={320}
        />
        <Button onClick={() => void create()} data-testid={ids.occurrenceCreate}>
          {t('design.occurrence.create')}
        </Button>
      </Group>
      {error && <Text c="red" size="sm" mt={4}>{error}</Text>}
    </Alert>
  );
}
