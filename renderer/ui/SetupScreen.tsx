import { useState } from 'react';
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconPlugConnected } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { parseServerAddress } from '../bridge/types.ts';
import { TEST_IDS } from '../test-ids.ts';
import { useCore, useErrorText } from './core-context.tsx';

const DEFAULT_SERVER = 'http://localhost:4010';

export function SetupScreen() {
  const core = useCore();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const required = (value: string) => (value.trim() ? null : t('setup.required'));
  // Said at the field, before anything is sent: a malformed address, or plain http to another computer.
  const serverAddress = (value: string) => {
    if (!value.trim()) return t('setup.required');
    const address = parseServerAddress(value);
    return address.ok ? null : t(`errors.${address.problem}`);
  };
  const form = useForm({
    initialValues: { serverUrl: core.state.settings.serverUrl ?? DEFAULT_SERVER, storeCode: '', stationCode: '', pairingCode: '' },
    validate: { serverUrl: serverAddress, storeCode: required, stationCode: required, pairingCode: required },
  });

  const submit = form.onSubmit(async (values) => {
    setBusy(true);
    setError(null);
    try {
      await core.pair(values);
    } catch (cause) {
      setError(errorText(cause));
    } finally {
      setBusy(false);
    }
  });

  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" w={440} radius="md">
        <form onSubmit={submit} data-testid={TEST_IDS.setup.form} noValidate>
          <Stack gap="sm">
            <div>
              <Title order={3}>{t('setup.title')}</Title>
              <Text size="sm" c="dimmed">
                {t('setup.subtitle')}
              </Text>
            </div>
            {error && (
              <Alert color="red" icon={<IconAlertCircle size={18} />} data-testid={TEST_IDS.setup.error}>
                {error}
              </Alert>
            )}
            <TextInput
              label={t('setup.serverUrl')}
              data-testid={TEST_IDS.setup.serverUrl}
              autoComplete="url"
              errorProps={{ 'data-testid': TEST_IDS.setup.serverUrlError }}
              {...form.getInputProps('serverUrl')}
            />
            <TextInput label={t('setup.storeCode')} data-testid={TEST_IDS.setup.storeCode} autoFocus {...form.getInputProps('storeCode')} />
            <TextInput label={t('setup.stationCode')} data-testid={TEST_IDS.setup.stationCode} {...form.getInputProps('stationCode')} />
            <PasswordInput label={t('setup.pairingCode')} data-testid={TEST_IDS.setup.pairingCode} {...form.getInputProps('pairingCode')} />
            <Button type="submit" loading={busy} leftSection={<IconPlugConnected size={18} />} data-testid={TEST_IDS.setup.submit}>
              {t('setup.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
