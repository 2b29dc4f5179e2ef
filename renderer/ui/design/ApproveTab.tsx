import { useState } from 'react';
import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { DesignEnvironmentDoc } from '../../../sync/schema/index.ts';
import { approvalState, isApprovalRefusalCode, isOutdated, newestVersion } from '../../core/design/view.ts';
import { ConfirmButton } from '../ConfirmButton.tsx';
import { TEST_IDS } from '../../test-ids.ts';
import { useDateTime, useMoney } from '../pos/use-money.ts';
import { useDesign, useDesignErrorText } from './design-context.tsx';

const ids = TEST_IDS.design.environment;

/**
 * Why the server refused this environment's last request (DES-11), in words the designer can act on,
 * with the server's own sentence below. The server clears the refusal once the environment changes.
 */
export function RefusalAlert({ env, onUpdate }: { env: DesignEnvironmentDoc; onUpdate?(): void }) {
  const { t } = useTranslation();
  const { actions } = useDesign();
  const dateTime = useDateTime();
  const refusal = env.lastRefusal;
  const state = approvalState(env, actions);
  if (!refusal || state.kind === 'waiting' || state.kind === 'approved') return null;
  // Another device's request is unknown here: an outdated refusal is then almost always an approval.
  const kind = actions.find((action) => action.id === refusal.actionId)?.kind ?? (isApprovalRefusalCode(refusal.code) ? 'approveBudget' : 'other');
  const what = t(`design.refusal.what.${kind}`, { defaultValue: t('design.refusal.what.other') });
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={20} />}
      title={t(`design.refusal.title.${refusal.code}`, { what, defaultValue: t('design.refusal.title.default', { what }) })}
      data-testid={ids.refusal}
      data-code={refusal.code}
      data-kind={kind}
    >
      <Stack gap={4}>
        <Text size="sm">{t(`design.refusal.hint.${refusal.code}`, { defaultValue: t('design.refusal.hint.default') })}</Text>
        <Text size="xs" c="dimmed">
          {t('design.refusal.server', { at: dateTime(refusal.at) })} {refusal.message}
        </Text>
        {onUpdate && isOutdated(env) && (
          <Button size="xs" color="yellow" c="dark" leftSection={<IconRefresh size={14} />} onClick={onUpdate} w="fit-content">
            {t('design.environment.update')}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

/** Approving the newest version's budget (DES-11, DES-12); the server decides, also for offline requests. */
export function ApproveTab({ env, onUpdate }: { env: DesignEnvironmentDoc; onUpdate(): void }) {
  const { t } = useTranslation();
  const { design, actions } = useDesign();
  const money = useMoney();
  const dateTime = useDateTime();
  const errorText = useDesignErrorText();
  const [error, setError] = useState<string | null>(null);
  const newest = newestVersion(env);
  const outdated = isOutdated(env);
  const state = approvalState(env, actions);
  const mayApprove = (design?.can('approveBudget') ?? false) && env.stage === 'negotiating' && !!newest && state.kind !== 'waiting';

  const approve = async () => {
    if (!design || !newest) return;
    setError(null);
    try {
      // The budget shown above is what is approved: the server refuses it if it changed meanwhile.
      await design.approveBudget(env, newest.number);
    } catch (cause) {
      setError(errorText(cause));
    }
  };

  return (
    <Stack gap="sm" data-testid={ids.approval} data-state={state.kind} data-code={state.kind === 'refused' ? state.code : ''}>
      {newest ? (
        <Text size="sm">
          {t('design.approve.version', { number: newest.number, option: newest.optionName })} — <b>{money(env.budget.totalCents)}</b>
        </Text>
      ) : (
        <Text size="sm" c="dimmed">{t('design.approve.noVersion')}</Text>
      )}
      {state.kind === 'approved' && (
        <Alert color="grape" icon={<IconCircleCheck size={20} />} title={t('design.approve.approvedTitle')}>
          {t('design.approve.approved', { number: state.versionNumber, at: state.at ? dateTime(state.at) : '' })}
        </Alert>
      )}
      {state.kind === 'waiting' && (
        <Alert color="blue" icon={<Loader size={16} />} title={t('design.approve.waitingTitle')}>
          {t('design.approve.waiting', { at: dateTime(state.action.requestedAt) })}
        </Alert>
      )}
      <RefusalAlert env={env} onUpdate={onUpdate} />
      {outdated && state.kind !== 'approved' && state.kind !== 'refused' && (
        <Alert color="yellow" icon={<IconAlertTriangle size={18} />}>
          {t('design.approve.outdatedWarning')}
        </Alert>
      )}
      {env.stage === 'negotiating' && (
        <Group>
          <ConfirmButton color="grape" onConfirm={() => void approve()} disabled={!mayApprove} question={t('design.approve.ask', { name: env.name })} data-testid={ids.approve}>
            {t('design.approve.button')}
          </ConfirmButton>
        </Group>
      )}
      {error && <Alert color="red">{error}</Alert>}
    </Stack>
  );
}
