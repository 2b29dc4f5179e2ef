import { useEffect, useState } from 'react';
import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Authorization } from '../../core/pos/pos.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { usePosContext, usePosErrorText } from './pos-context.tsx';

const ids = TEST_IDS.pos.supervisor;

/**
 * A supervisor types their code on this station (POS-20), also offline: the code is checked against the
 * salted hashes the station received and never stored. One code authorises every action listed (say a
 * manual discount and a sale on a closed till); `onAuthorized` gets one authorisation per action.
 */
export function SupervisorDialog({ actions, onAuthorized, onCancel }: { actions: Authorization['action'][] | null; onAuthorized(authorizations: Authorization[]): void; onCancel(): void }) {
  const { t } = useTranslation();
  const { pos } = usePosContext();
  const errorText = usePosErrorText();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Callers pass a new array each render, and the page re-renders whenever the catalogue or the sync
  // state moves: reset on what is asked, not on the array, or a code being typed is wiped mid-way.
  const asked = actions?.join(',') ?? null;
  useEffect(() => {
    setCode('');
    setError(null);
  }, [asked]);

  const submit = async () => {
    if (!pos || !actions) return;
    setBusy(true);
    setError(null);
    try {
      const given: Authorization[] = [];
      for (const action of actions) given.push(await pos.authorize(code, action));
      onAuthorized(given);
    } catch (e) {
      setError(errorText(e));
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={!!actions} onClose={onCancel} title={t('pos.supervisor.title')} size="sm" data-testid={ids.dialog}>
      <Stack gap="sm" data-testid={ids.body}>
        <Text size="sm">{t('pos.supervisor.needed', { actions: (actions ?? []).map((action) => t(`pos.supervisor.actions.${action}`)).join(', ') })}</Text>
        <PasswordInput
          label={t('pos.supervisor.code')}
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void submit();
            }
          }}
          inputMode="numeric"
          autoComplete="off"
          autoFocus
          data-testid={ids.code}
        />
        {error && <Alert color="red" data-testid={ids.error}>{error}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>{t('common.cancel')}</Button>
          <Button onClick={() => void submit()} loading={busy} disabled={!code} data-testid={ids.confirm}>{t('pos.supervisor.authorize')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
