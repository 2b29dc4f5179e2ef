import { useEffect, useRef, useState } from 'react';
import { Alert, Badge, Button, Card, Group, Modal, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { IconAlertTriangle, IconArrowLeft, IconCheck, IconFlag, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { DesignEnvironmentDoc } from '../../../sync/schema/index.ts';
import { isChangedAfterConversion, isOutdated, mandatoryUpdates, newestVersion } from '../../core/design/view.ts';
import { ConfirmButton } from '../ConfirmButton.tsx';
import { TEST_IDS } from '../../test-ids.ts';
import { useDateTime, useMoney } from '../pos/use-money.ts';
import { OutdatedMark, StageBadge } from './badges.tsx';
import { useDesign, useDesignErrorText } from './design-context.tsx';
import { PurchaseOrdersList } from './PurchaseOrdersList.tsx';
import { UpdateModal } from './UpdateModal.tsx';

const ids = TEST_IDS.design.review;

/**
 * The reviewer's page (DES-13, DES-14): is the contract released, which environments changed after the
 * conversion; on access the outdated environments must be updated first; finishing the review makes the
 * purchase orders, listed here once the server created them.
 */
export function ReviewPage({ projectId }: { projectId: string }) {
  const { t } = useTranslation();
  const { design, projects, environments, actions, open } = useDesign();
  const money = useMoney();
  const dateTime = useDateTime();
  const errorText = useDesignErrorText();
  const [updating, setUpdating] = useState<DesignEnvironmentDoc | null>(null);
  const [error, setError] = useState<string | null>(null);
  const project = projects.find((p) => p.id === projectId);
  const envs = environments.filter((env) => env.projectId === projectId && env.status === 'ready');
  const released = project?.contract?.status === 'released';
  const startRequested = actions.some((a) => a.kind === 'startReview' && a.projectId === projectId);
  const finishRequested = actions.some((a) => a.kind === 'finishReview' && a.projectId === projectId);
  const started = useRef(false);

  // The first access starts the review: the server records who reviews and when (DES-13).
  useEffect(() => {
    if (!design || !project || started.current || startRequested || !design.can('startReview')) return;
    if (project.stage !== 'released' || project.reviewStartedAt) return;
    started.current = true;
    design.startReview(project.id).catch((cause: unknown) => setError(errorText(cause)));
  }, [design, project, startRequested, errorText]);

  if (!project) return <Alert color="gray">{t('design.project.notFound')}</Alert>;
  const mandatory = mandatoryUpdates(project, envs);
  const refusals = project.history.filter((entry) => entry.kind === 'action_refused').sort((a, b) => b.at.localeCompare(a.at));
  const lastRefusal = refusals[0];
  const finished = project.stage === 'reviewed';
  const mayFinish = (design?.can('finishReview') ?? false) && project.stage === 'reviewing' && mandatory.length === 0 && !(finishRequested && !lastRefusal);

  const finish = async () => {
    setError(null);
    try {
      await design!.finishReview(project.id);
    } catch (cause) {
      setError(errorText(cause));
    }
  };

  return (
    <Stack gap="sm" style={{ overflow: 'auto' }} data-testid={ids.page} data-released={String(released)} data-stage={project.stage}>
      <Button variant="subtle" leftSection={<IconArrowLeft size={16} />} onClick={() => open({ page: 'project', projectId })} w="fit-content">
        {project.name}
      </Button>
      <Group gap="xs">
        <Title order={4}>{t('design.review.title', { name: project.name })}</Title>
        <StageBadge stage={project.stage} />
      </Group>
      <Group gap="xs">
        <Badge color={released ? 'teal' : 'red'} variant="light" leftSection={released ? <IconCheck size={12} /> : <IconAlertTriangle size={12} />}>
          {released ? t('design.review.released', { at: project.contract?.releasedAt ? dateTime(project.contract.releasedAt) : '' }) : t('design.review.notReleased')}
        </Badge>
        {project.reviewStartedAt && <Text size="sm" c="dimmed">{t('design.review.startedAt', { at: dateTime(project.reviewStartedAt) })}</Text>}
        {project.reviewFinishedAt && <Text size="sm" c="dimmed">{t('design.review.finishedAt', { at: dateTime(project.reviewFinishedAt) })}</Text>}
      </Group>
      {!released && <Alert color="orange">{t('design.review.notReleasedHint')}</Alert>}
      {error && <Alert color="red" data-testid={ids.error}>{error}</Alert>}
      {lastRefusal && !finished && (
        <Alert color="red" title={t('design.review.refused')} data-testid={ids.error}>
          {lastRefusal.note}
        </Alert>
      )}
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('design.review.environment')}</Table.Th>
            <Table.Th>{t('design.review.stage')}</Table.Th>
            <Table.Th>{t('design.review.flags')}</Table.Th>
            <Table.Th>{t('design.review.version')}</Table.Th>
            <Table.Th ta="right">{t('design.items.total')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {envs.map((env) => {
            const changed = isChangedAfterConversion(env);
            const outdated = isOutdated(env);
            const newest = newestVersion(env);
            return (
              <Table.Tr key={env.id} data-testid={ids.environment} data-environment-id={env.id} data-changed-after-conversion={String(changed)} data-outdated={String(outdated)}>
                <Table.Td>
                  <UnstyledButton c="blue" fw={600} onClick={() => open({ page: 'environment', environmentId: env.id })}>
                    {env.name}
                  </UnstyledButton>
                </Table.Td>
                <Table.Td>
                  <StageBadge stage={env.stage} />
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {changed && (
                      <Badge color="orange" variant="filled" leftSection={<IconFlag size={12} />}>
                        {t('design.review.changedAfterConversion')}
                      </Badge>
                    )}
                    {outdated && <OutdatedMark label={t('design.environments.outdated')} />}
                  </Group>
                </Table.Td>
                <Table.Td>{newest ? t('design.environments.version', { number: newest.number, option: newest.optionName }) : '—'}</Table.Td>
                <Table.Td ta="right">{money(env.budget.totalCents)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {!finished && design?.can('finishReview') && (
        <Group>
          <ConfirmButton
            color="teal"
            onConfirm={() => void finish()}
            disabled={!mayFinish}
            loading={finishRequested && !lastRefusal && !finished}
            question={t('design.review.finishAsk')}
            data-testid={ids.finish}
          >
            {t('design.review.finish')}
          </ConfirmButton>
          <Text size="xs" c="dimmed">{t('design.review.finishHint')}</Text>
        </Group>
      )}
      {finished && (
        <Card withBorder padding="sm">
          <Text fw={600} mb="xs">{t('design.review.orders')}</Text>
          <PurchaseOrdersList projectId={project.id} />
        </Card>
      )}
      <Modal
        opened={mandatory.length > 0 && !updating}
        onClose={() => undefined}
        withCloseButton={false}
        closeOnEscape={false}
        closeOnClickOutside={false}
        title={t('design.review.mandatoryTitle')}
      >
        <Stack gap="sm" data-testid={ids.mandatory}>
          <Text size="sm">{t('design.review.mandatory')}</Text>
          {mandatory.map((env) => {
            const requested = actions.some((a) => a.kind === 'updateEnvironment' && a.environmentId === env.id && (a.designRevision ?? 0) >= env.latestDesignRevision);
            return (
              <Group key={env.id} justify="space-between">
                <Text fw={600}>{env.name}</Text>
                <Button size="xs" color="yellow" c="dark" leftSection={<IconRefresh size={14} />} loading={requested} onClick={() => setUpdating(env)} data-testid={ids.mandatoryUpdate} data-environment-id={env.id}>
                  {t('design.environment.update')}
                </Button>
              </Group>
            );
          })}
          <Button variant="subtle" onClick={() => open({ page: 'project', projectId })}>
            {t('design.review.leave')}
          </Button>
        </Stack>
      </Modal>
      {updating && <UpdateModal env={updating} opened onClose={() => setUpdating(null)} />}
    </Stack>
  );
}
