import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiKeyInfo } from '../../../sync/schema/index.ts';
import type { HomologationRun } from '../../../sync/schema/sandbox.ts';
import { dateTimeFormat } from '../../i18n/format.ts';
import { useCore } from '../core-context.tsx';
import { useAdminErrorText } from './admin-error.ts';
import { KEY_HOMOLOGATION_IDS } from './test-ids.ts';
import { failedStepCount } from './promotion.ts';

/**
 * A key's last conformance run (the "termo de aceite", API-07): each step passed / failed with what was
 * expected, the steps the server could not corroborate from what the key did in the sandbox, and the
 * earlier runs (GET /api/api-keys/:id/homologation-runs, newest first).
 */
export function HomologationRunModal({ apiKey, onClose }: { apiKey: ApiKeyInfo | null; onClose(): void }) {
  const core = useCore();
  const { t, i18n } = useTranslation();
  const errorText = useAdminErrorText();
  const [runs, setRuns] = useState<HomologationRun[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const id = apiKey?.id ?? null;

  useEffect(() => {
    setRuns(null);
    setProblem(null);
    if (!id) return;
    core.request<{ data: HomologationRun[] }>('GET', `/api/api-keys/${encodeURIComponent(id)}/homologation-runs`).then(
      (answer) => setRuns(answer.data),
      (error: unknown) => setProblem(errorText(error)),
    );
    // Asked when another key's run opens.
  }, [id]);

  const format = dateTimeFormat(i18n.language);
  const run = runs?.[0] ?? apiKey?.lastHomologation ?? null;
  const earlier = runs?.slice(1) ?? [];

  return (
    <Modal opened={apiKey !== null} onClose={onClose} title={t('admin.keys.runTitle', { name: apiKey?.name ?? '' })} size="lg" centered>
      <Stack gap="sm" data-testid={KEY_HOMOLOGATION_IDS.runPanel}>
        {problem && <Alert color="red">{problem}</Alert>}
        {!run && <Text c="dimmed">{t('admin.keys.noRun')}</Text>}
        {run && (
          <>
            <Group justify="space-between">
              <Text size="sm">{t('admin.keys.runReceived', { when: format.format(new Date(run.receivedAt)) })}</Text>
              <Badge color={run.passed ? 'green' : 'red'}>{run.passed ? t('admin.keys.runPassed') : t('admin.keys.runFailed', { count: failedStepCount(run) })}</Badge>
            </Group>
            <Table striped fz="sm" verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('admin.keys.runSteps')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {run.steps.map((step) => (
                  <Table.Tr key={step.step} data-testid={KEY_HOMOLOGATION_IDS.runStep} data-step={step.step} data-passed={step.passed}>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {step.step}
                      </Text>
                      {step.detail && (
                        <Text size="xs" c={step.passed ? 'dimmed' : 'red'} style={{ wordBreak: 'break-word' }}>
                          {step.detail}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ width: 1, whiteSpace: 'nowrap' }}>
                      <Badge color={step.passed ? 'green' : 'red'} variant="light">
                        {step.passed ? t('admin.keys.stepPassed') : t('admin.keys.stepFailed')}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {run.uncorroborated.length > 0 && <Alert color="orange">{t('admin.keys.uncorroborated', { steps: run.uncorroborated.join(', ') })}</Alert>}
          </>
        )}
        {earlier.length > 0 && (
          <>
            <Text fw={500} size="sm">
              {t('admin.keys.allRuns')}
            </Text>
            {earlier.map((previous) => (
              <Group key={previous.id} gap="xs">
                <Text size="sm">{format.format(new Date(previous.receivedAt))}</Text>
                <Badge size="sm" variant="light" color={previous.passed ? 'green' : 'red'}>
                  {previous.passed ? t('admin.keys.runPassed') : t('admin.keys.runFailed', { count: failedStepCount(previous) })}
                </Badge>
              </Group>
            ))}
          </>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('admin.close')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
