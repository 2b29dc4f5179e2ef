import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Group, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconLink } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { lastKnownLink, linkDesignUser, readLink, type LinkState } from '../../core/design/link.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useCore, useObservable } from '../core-context.tsx';
import { useDateTime } from '../pos/use-money.ts';
import { GreenMark } from './badges.tsx';
import { useDesignErrorText } from './design-context.tsx';

const ids = TEST_IDS.design.link;

/** The designer links their design-software user once (DES-02): green mark; after a password change, "link again". */
export function LinkPage() {
  const { t } = useTranslation();
  const core = useCore();
  const state = useObservable(core.state$, core.state);
  const userId = state.session?.user.id ?? '';
  const errorText = useDesignErrorText();
  const dateTime = useDateTime();
  const request = useCallback(<T,>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) => core.request<T>(method, path, body), [core]);
  const [link, setLink] = useState<LinkState | null>(() => lastKnownLink(window.localStorage, userId));
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    readLink(request, window.localStorage, userId).then(setLink, (cause: unknown) => setError(errorText(cause)));
    // errorText changes with the language only; reading once per user is enough.
  }, [request, userId]);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      setLink(await linkDesignUser(request, window.localStorage, userId, login, password));
      setPassword('');
    } catch (cause) {
      setError(errorText(cause));
    } finally {
      setBusy(false);
    }
  };

  const status = link?.status ?? 'unlinked';
  return (
    <Stack gap="sm" maw={560}>
      <Title order={4}>{t('design.link.title')}</Title>
      <Text size="sm" c="dimmed">{t('design.link.subtitle')}</Text>
      <Card withBorder padding="sm" data-testid={ids.status} data-status={status}>
        {status === 'linked' && (
          <Group gap="xs">
            <GreenMark label={t('design.link.linked')} />
            <Text size="sm">{t('design.link.linkedAs', { name: link?.designUserName ?? '' })}</Text>
          </Group>
        )}
        {status === 'relink' && (
          <Alert color="orange" icon={<IconAlertTriangle size={18} />} title={t('design.link.relinkTitle')}>
            {t('design.link.relink')}
          </Alert>
        )}
        {status === 'unlinked' && <Text size="sm">{t('design.link.unlinked')}</Text>}
        {link?.cached && <Text size="xs" c="dimmed" mt={4}>{t('design.link.cached', { at: dateTime(link.checkedAt) })}</Text>}
      </Card>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Stack gap="xs">
          <TextInput label={t('design.link.login')} value={login} onChange={(e) => setLogin(e.currentTarget.value)} autoComplete="off" data-testid={ids.login} />
          <PasswordInput label={t('design.link.password')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoComplete="off" data-testid={ids.password} />
          {error && <Alert color="red" data-testid={ids.error}>{error}</Alert>}
          <Group>
            <Button type="submit" leftSection={<IconLink size={16} />} loading={busy} data-testid={ids.submit}>
              {status === 'unlinked' ? t('design.link.submit') : t('design.link.again')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
