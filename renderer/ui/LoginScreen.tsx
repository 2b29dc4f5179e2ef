import { useState } from 'react';
import { Alert, Anchor, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconLogin } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { TEST_IDS } from '../test-ids.ts';
import { useCore, useErrorText, useObservable } from './core-context.tsx';
import { toast } from './toast.ts';

export function LoginScreen() {
  const core = useCore();
  const state = useObservable(core.state$, core.state);
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const required = (value: string) => (value.trim() ? null : t('login.required'));
  const form = useForm({ initialValues: { userCode: '', password: '' }, validate: { userCode: required, password: (v: string) => (v ? null : t('login.required')) } });

  const submit = form.onSubmit(async ({ userCode, password }) => {
    setBusy(true);
    setError(null);
    try {
      const session = await core.login(userCode, password);
      if (session.offline) toast('login', t('login.offlineBody'), 'yellow', { title: t('login.offlineTitle'), autoClose: 8000 });
    } catch (cause) {
      setError(errorText(cause));
      form.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  });

  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" w={380} radius="md">
        <form onSubmit={submit} data-testid={TEST_IDS.login.form} noValidate>
          <Stack gap="sm">
            <div>
              <Title order={3}>{t('login.title')}</Title>
              <Text size="sm" c="dimmed">
                {t('login.store', { store: state.settings.storeName ?? state.settings.storeCode, station: state.settings.stationCode })}
              </Text>
            </div>
            {state.loginNotice && (
              <Alert color="yellow" data-testid={TEST_IDS.login.notice}>
                {state.loginNotice === 'session_expired' ? t('login.sessionExpired') : state.loginNotice === 'roles_changed' ? t('login.rolesChanged') : t('errors.open_in_another_tab')}
              </Alert>
            )}
            {error && (
              <Alert color="red" icon={<IconAlertCircle size={18} />} data-testid={TEST_IDS.login.error}>
                {error}
              </Alert>
            )}
            <TextInput label={t('login.userCode')} autoFocus autoComplete="username" data-testid={TEST_IDS.login.userCode} {...form.getInputProps('userCode')} />
            <PasswordInput label={t('login.password')} autoComplete="current-password" data-testid={TEST_IDS.login.password} {...form.getInputProps('password')} />
            <Button type="submit" loading={busy} leftSection={<IconLogin size={18} />} data-testid={TEST_IDS.login.submit}>
              {t('login.submit')}
            </Button>
            <Anchor component="button" type="button" size="xs" c="dimmed" onClick={() => window.confirm(t('login.confirmUnpair')) && void core.unpair()}>
              {t('login.changeServer')}
            </Anchor>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
