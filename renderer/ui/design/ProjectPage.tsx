import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { IconArrowLeft, IconClipboardCheck, IconCurrencyReal, IconLink, IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { DesignAction, DesignProject } from '../../../sync/schema/index.ts';
import { ConfirmButton } from '../ConfirmButton.tsx';
import { TEST_IDS } from '../../test-ids.ts';
import { pendingEnvironments } from '../../core/design/view.ts';
import { StageBadge } from './badges.tsx';
import { useDesign, useDesignErrorText } from './design-context.tsx';
import { EnvironmentsGrid } from './EnvironmentsGrid.tsx';
import { HistoryList } from './HistoryList.tsx';
import { NoticesList } from './NoticesList.tsx';
import { PurchaseOrdersList } from './PurchaseOrdersList.tsx';
import { useCustomers } from './use-customers.ts';
import { toast } from '../toast.ts';

const ids = TEST_IDS.design.project;

/** A project-level request of this device the server has not answered yet (offline, or in flight). */
function waiting(project: DesignProject, actions: readonly DesignAction[], kind: DesignAction['kind']): boolean {
  const action = actions.find((a) => a.kind === kind && a.projectId === project.id);
  if (!action) return false;
  // A refusal after the request answers it (the history says why); device clocks may differ a little.
  if (project.history.some((entry) => entry.kind === 'action_refused' && entry.at >= action.requestedAt)) return false;
  if (kind === 'releaseContract') return project.contract?.status !== 'released';
  if (kind === 'startReview') return !project.reviewStartedAt;
  if (kind === 'finishReview') return !project.reviewFinishedAt;
  if (kind === 'linkLegacyProject') return !project.legacy;
  return false;
}

export function ProjectPage({ projectId }: { projectId: string }) {
  const { t } = useTranslation();
  const { design, projects, environments, actions, open } = useDesign();
  const customers = useCustomers();
  const errorText = useDesignErrorText();
  const [envName, setEnvName] = useState('');
  const [legacyId, setLegacyId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const project = projects.find((p) => p.id === projectId);
  const envs = environments.filter((env) => env.projectId === projectId);
  const pending = pendingEnvironments(projectId, envs, actions);

  const run = async (work: () => Promise<unknown>, done?: string) => {
    setError(null);
    try {
      await work();
      if (done) toast('design-project', done, 'teal');
    } catch (cause) {
      setError(errorText(cause));
    }
  };

  const back = (
    <Button variant="subtle" leftSection={<IconArrowLeft size={16} />} onClick={() => open({ page: 'projects' })} data-testid={ids.back} w="fit-content">
      {t('design.projects.title')}
    </Button>
  );

  if (!project) {
    const request = actions.find((a) => (a.kind === 'createProject' || a.kind === 'linkLegacyProject') && a.newId === projectId);
    return (
      <Stack gap="sm">
        {back}
        <Alert color={request ? 'orange' : 'gray'} data-testid={ids.page} data-project-id={projectId} data-stage="pending">
          {request ? t('design.project.pending', { name: request.name }) : t('design.project.notFound')}
        </Alert>
      </Stack>
    );
  }

  const createEnvironment = () =>
    run(async () => {
      await design!.createEnvironment(projectId, envName);
      // The form clears at once: creation runs in the background and another may start now (DES-04).
      setEnvName('');
    });
  const inReview = ['released', 'reviewing', 'reviewed'].includes(project.stage);
  // A refused project request (release, review…) shows until something newer happens on the project.
  const lastEntry = [...project.history].sort((a, b) => b.at.localeCompare(a.at))[0];

  return (
    <Stack gap="sm" style={{ overflow: 'auto' }} data-testid={ids.page} data-project-id={project.id} data-stage={project.stage} data-contract={project.contract?.status ?? 'none'}>
      {back}
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="xs">
            <Title order={4}>{project.name}</Title>
            <StageBadge stage={project.stage} testId={ids.stage} />
            {project.legacy && <Badge variant="outline">{t('design.projects.legacy')}</Badge>}
          </Group>
          <Text size="sm" c="dimmed">
            {t('design.project.customer', { name: customers.get(project.customerId)?.name ?? '—' })} ·{' '}
            {project.contract ? t(`design.contract.${project.contract.status}`) : t('design.contract.none')}
            {project.designProjectId ? ` · ${t('design.project.designId', { id: project.designProjectId })}` : ''}
          </Text>
        </div>
        <Group gap="xs">
          {design?.can('releaseContract') && project.contract?.status === 'awaiting_release' && (
            <ConfirmButton
              leftSection={<IconCurrencyReal size={16} />}
              loading={waiting(project, actions, 'releaseContract')}
              onConfirm={() => void run(() => design.releaseContract(project.id), t('design.project.releaseSent'))}
              question={t('design.project.releaseAsk', { name: project.name })}
              data-testid={ids.release}
            >
              {t('design.project.release')}
            </ConfirmButton>
          )}
          {design?.can('startReview') && inReview && (
            <Button leftSection={<IconClipboardCheck size={16} />} onClick={() => open({ page: 'review', projectId: project.id })} data-testid={ids.review}>
              {t('design.project.review')}
            </Button>
          )}
        </Group>
      </Group>
      {error && <Alert color="red" data-testid={ids.error}>{error}</Alert>}
      {lastEntry?.kind === 'action_refused' && (
        <Alert color="red" title={t('design.refusal.project')} data-testid={ids.refusal}>
          {lastEntry.note}
        </Alert>
      )}
      <NoticesList projectId={project.id} />
      {!project.legacy && !envs.some((env) => env.designEnvironmentId) && design?.can('linkLegacyProject') && (
        <Card withBorder padding="sm">
          <Text size="sm" fw={600}>{t('design.project.legacyTitle')}</Text>
          <Text size="xs" c="dimmed" mb={6}>{t('design.project.legacyHint')}</Text>
          <Group gap="xs" align="flex-end">
            <TextInput label={t('design.project.legacyId')} value={legacyId} onChange={(e) => setLegacyId(e.currentTarget.value)} data-testid={ids.legacyId} />
            <Button
              variant="default"
              leftSection={<IconLink size={16} />}
              loading={waiting(project, actions, 'linkLegacyProject')}
              onClick={() => void run(async () => { await design.linkLegacyProject(project.id, legacyId); setLegacyId(''); }, t('design.project.legacySent'))}
              data-testid={ids.legacyLink}
            >
              {t('design.project.legacyLink')}
            </Button>
          </Group>
        </Card>
      )}
      <Tabs defaultValue="environments" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="environments">{t('design.project.environments', { count: envs.length })}</Tabs.Tab>
          <Tabs.Tab value="history">{t('design.project.history')}</Tabs.Tab>
          <Tabs.Tab value="orders">{t('design.project.orders')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="environments" pt="sm">
          <Stack gap="sm">
            {design?.can('createEnvironment') && project.stage === 'negotiating' && (
              <form
                onSubmit={(event) => {
                  event.preventDefault();
                  void createEnvironment();
                }}
              >
                <Group gap="xs" align="flex-end">
                  <TextInput label={t('design.environments.newName')} placeholder={t('design.environments.newPlaceholder')} value={envName} onChange={(e) => setEnvName(e.currentTarget.value)} data-testid={ids.newEnvironmentName} w={320} />
                  <Button type="submit" leftSection={<IconPlus size={16} />} data-testid={ids.newEnvironment}>
                    {t('design.environments.create')}
                  </Button>
                  <Text size="xs" c="dimmed" maw={360}>{t('design.environments.background')}</Text>
                </Group>
              </form>
            )}
            <EnvironmentsGrid environments={envs} pending={pending} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="sm">
          <HistoryList history={project.history} environments={envs} />
        </Tabs.Panel>
        <Tabs.Panel value="orders" pt="sm">
          <PurchaseOrdersList projectId={project.id} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
