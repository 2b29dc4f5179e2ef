import { useCallback, useEffect, useState } from 'react';
import { Alert, Badge, Button, Checkbox, Code, CopyButton, Group, Modal, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { API_RESOURCES, DEFAULT_KEY_RATE_LIMIT, type ApiKeyInfo, type ApiScope, type CreatedApiKey, type CreateApiKeyRequest } from '../../../sync/schema/index.ts';
import { dateTimeFormat, pickerLocale } from '../../i18n/format.ts';
import { ConfirmButton } from '../ConfirmButton.tsx';
import { useCore, useErrorText } from '../core-context.tsx';
import { API_KEYS_IDS } from './test-ids.ts';

/** The end of the chosen day in the user's time zone, as an instant for the server. */
function endOfDay(day: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year!, month! - 1, date!, 23, 59, 59).toISOString();
}

function statusOf(key: ApiKeyInfo, now: number): 'active' | 'revoked' | 'expired' {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) return 'expired';
  return 'active';
}

/**
 * Integrators' API keys (API-08), for the store administrator: the list (name, start of the key,
 * scopes, last use, expiry, status), a form to make a key — whose secret is shown once, to copy —
 * and revocation. Calls /api/api-keys on the server; nothing of it is kept on this device.
 */
export function ApiKeysPage() {
  const core = useCore();
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const [keys, setKeys] = useState<ApiKeyInfo[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);

  const load = useCallback(async () => {
    try {
      setKeys(await core.request<ApiKeyInfo[]>('GET', '/api/api-keys'));
      setLoadError(null);
    } catch (error) {
      setLoadError(errorText(error));
    }
  }, [core, errorText]);
  useEffect(() => {
    void load();
    // Loaded when the page opens, and again after each change made here (load is rebuilt every render).
  }, [core]);

  const revoke = async (key: ApiKeyInfo) => {
    try {
      await core.request('POST', `/api/api-keys/${encodeURIComponent(key.id)}/revoke`, {});
      notifications.show({ message: t('apiKeys.revokedDone'), color: 'green' });
      await load();
    } catch (error) {
      notifications.show({ message: errorText(error), color: 'red' });
    }
  };

  const format = dateTimeFormat(i18n.language);
  const when = (iso: string | null, none: string) => (iso ? format.format(new Date(iso)) : none);
  const now = Date.now();

  return (
    <Stack gap="sm" data-testid={API_KEYS_IDS.page}>
      <Group justify="space-between">
        <Title order={3}>{t('apiKeys.title')}</Title>
        <Button onClick={() => setCreating(true)} data-testid={API_KEYS_IDS.create}>
          {t('apiKeys.create')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t('apiKeys.intro')}
      </Text>
      {loadError && (
        <Alert color="red" data-testid={API_KEYS_IDS.error}>
          {t('apiKeys.loadFailed', { message: loadError })}
        </Alert>
      )}
      {keys && keys.length === 0 && <Text c="dimmed">{t('apiKeys.empty')}</Text>}
      {keys && keys.length > 0 && (
        <Table striped data-testid={API_KEYS_IDS.table}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('apiKeys.columns.name')}</Table.Th>
              <Table.Th>{t('apiKeys.columns.prefix')}</Table.Th>
              <Table.Th>{t('apiKeys.columns.scopes')}</Table.Th>
              <Table.Th>{t('apiKeys.columns.lastUsed')}</Table.Th>
              <Table.Th>{t('apiKeys.columns.expires')}</Table.Th>
              <Table.Th>{t('apiKeys.columns.status')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {keys.map((key) => {
              const status = statusOf(key, now);
              return (
                <Table.Tr key={key.id} data-testid={API_KEYS_IDS.row} data-key-id={key.id}>
                  <Table.Td>{key.name}</Table.Td>
                  <Table.Td>
                    <Code>{key.prefix}…</Code>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {key.scopes.map((scope) => {
                        const [resource, access] = scope.split(':') as [string, 'read' | 'write'];
                        return (
                          <Badge key={scope} size="sm" variant="light" color={access === 'write' ? 'orange' : 'blue'}>
                            {t(`apiKeys.resources.${resource}`)}: {t(`apiKeys.${access}`)}
                          </Badge>
                        );
                      })}
                    </Group>
                  </Table.Td>
                  <Table.Td>{when(key.lastUsedAt, t('apiKeys.never'))}</Table.Td>
                  <Table.Td>{when(key.expiresAt, t('apiKeys.noExpiry'))}</Table.Td>
                  <Table.Td>
                    <Badge color={status === 'active' ? 'green' : 'gray'} data-testid={API_KEYS_IDS.status}>
                      {t(`apiKeys.${status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {status !== 'revoked' && (
                      <ConfirmButton size="xs" color="red" variant="light" question={t('apiKeys.revokeQuestion', { name: key.name })} onConfirm={() => void revoke(key)} data-testid={API_KEYS_IDS.revoke}>
                        {t('apiKeys.revoke')}
                      </ConfirmButton>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      <CreateKeyModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(key) => {
          setCreating(false);
          setCreated(key);
          void load();
        }}
      />
      <Modal opened={created !== null} onClose={() => setCreated(null)} title={t('apiKeys.createdTitle')} size="lg" centered closeOnClickOutside={false}>
        <Stack gap="sm">
          <Alert color="yellow">{t('apiKeys.createdBody')}</Alert>
          <Code block data-testid={API_KEYS_IDS.secret}>
            {created?.secret}
          </Code>
          <Group justify="flex-end">
            <CopyButton value={created?.secret ?? ''}>
              {({ copied, copy }) => (
                <Button variant="light" onClick={copy}>
                  {copied ? t('apiKeys.copied') : t('apiKeys.copy')}
                </Button>
              )}
            </CopyButton>
            <Button onClick={() => setCreated(null)} data-testid={API_KEYS_IDS.done}>
              {t('apiKeys.done')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function CreateKeyModal({ opened, onClose, onCreated }: { opened: boolean; onClose(): void; onCreated(key: CreatedApiKey): void }) {
  const core = useCore();
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Set<ApiScope>>(new Set());
  const [expires, setExpires] = useState('');
  const [limit, setLimit] = useState<number>(DEFAULT_KEY_RATE_LIMIT);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const toggle = (scope: ApiScope, on: boolean) =>
    setScopes((current) => {
      const next = new Set(current);
      if (on) next.add(scope);
      else next.delete(scope);
      return next;
    });

  const submit = async () => {
    if (name.trim() === '') return setProblem(t('apiKeys.needsName'));
    if (scopes.size === 0) return setProblem(t('apiKeys.needsScope'));
    const request: CreateApiKeyRequest = { name: name.trim(), scopes: [...scopes], rateLimitPerMinute: limit, ...(endOfDay(expires) ? { expiresAt: endOfDay(expires) } : {}) };
    setSaving(true);
    try {
      const key = await core.request<CreatedApiKey>('POST', '/api/api-keys', request);
      setName('');
      setScopes(new Set());
      setExpires('');
      setProblem(null);
      onCreated(key);
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('apiKeys.create')} size="lg" centered>
      <Stack gap="sm" data-testid={API_KEYS_IDS.form}>
        <TextInput label={t('apiKeys.name')} placeholder={t('apiKeys.namePlaceholder')} value={name} maxLength={100} onChange={(event) => setName(event.currentTarget.value)} data-testid={API_KEYS_IDS.name} required />
        <Text size="sm" fw={500}>
          {t('apiKeys.scopes')}
        </Text>
        <Table withRowBorders={false}>
          <Table.Tbody>
            {API_RESOURCES.map((resource) => (
              <Table.Tr key={resource}>
                <Table.Td>{t(`apiKeys.resources.${resource}`)}</Table.Td>
                {(['read', 'write'] as const).map((access) => {
                  const scope = `${resource}:${access}` as ApiScope;
                  return (
                    <Table.Td key={access}>
                      <Checkbox label={t(`apiKeys.${access}`)} checked={scopes.has(scope)} onChange={(event) => toggle(scope, event.currentTarget.checked)} data-testid={`${API_KEYS_IDS.scope}-${resource}-${access}`} />
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {/* The app's own date picker, in the user's language (dd/mm/aaaa), not the browser's native mm/dd/yyyy. */}
        <DatePickerInput
          label={t('apiKeys.expiresAt')}
          description={t('apiKeys.expiresHint')}
          valueFormat="DD/MM/YYYY"
          locale={pickerLocale(i18n.language)}
          clearable
          minDate={new Date()}
          value={expires || null}
          onChange={(day) => setExpires(day ?? '')}
          popoverProps={{ withinPortal: true }}
          data-testid={API_KEYS_IDS.expires}
        />
        <NumberInput label={t('apiKeys.rateLimit')} min={1} max={100_000} allowDecimal={false} value={limit} onChange={(value) => setLimit(typeof value === 'number' ? value : DEFAULT_KEY_RATE_LIMIT)} />
        {problem && (
          <Alert color="red" data-testid={API_KEYS_IDS.formError}>
            {problem}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('apiKeys.cancel')}
          </Button>
          <Button onClick={() => void submit()} loading={saving} data-testid={API_KEYS_IDS.save}>
            {t('apiKeys.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
