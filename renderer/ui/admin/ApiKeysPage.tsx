import { useState } from 'react';
import { Alert, Badge, Button, Checkbox, Code, CopyButton, Group, Modal, NumberInput, Stack, Table, Text, TextInput, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useTranslation } from 'react-i18next';
import { API_RESOURCES, DEFAULT_KEY_RATE_LIMIT, type ApiKeyInfo, type ApiScope, type CreatedApiKey, type CreateApiKeyRequest } from '../../../sync/schema/index.ts';
import { dateTimeFormat, pickerLocale } from '../../i18n/format.ts';
import { ConfirmButton } from '../ConfirmButton.tsx';
import { useCore, useErrorText } from '../core-context.tsx';
import { API_KEYS_IDS, KEY_HOMOLOGATION_IDS } from './test-ids.ts';
import { grantableAccess } from './scopes.ts';
import { environmentOf, failedStepCount, promotionOf, type PromotionRefusal } from './promotion.ts';
import { HomologationRunModal } from './HomologationRunModal.tsx';
import { serverProblem, useAdminErrorText } from './admin-error.ts';
import { useAdminList } from './use-admin-list.ts';
import { toast } from '../toast.ts';

/** One toast at a time for this screen's actions: the latest outcome replaces the previous one. */
const TOAST_CHANNEL = 'admin-api-keys';

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
 * Integrators' API keys (API-08), for the store administrator: the list (name, environment — sandbox or
 * production —, start of the key, scopes, last homologation run, last use, expiry, status), a form to
 * make a key — whose secret is shown once, to copy — with only the scopes that grant something (never
 * `sales:write`: station sales are read-only for integrators), revocation, and for a sandbox key
 * "Promover para produção" (API-07), offered once its last homologation run passed; the production
 * key's secret is shown once. Calls /api/api-keys on the server; nothing of it is kept on this device.
 */
export function ApiKeysPage() {
  const core = useCore();
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const { items: keys, loadError, load } = useAdminList<ApiKeyInfo>('/api/api-keys');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [promoted, setPromoted] = useState(false);
  const [runOf, setRunOf] = useState<ApiKeyInfo | null>(null);
  const adminErrorText = useAdminErrorText();

  const revoke = async (key: ApiKeyInfo) => {
    try {
      await core.request('POST', `/api/api-keys/${encodeURIComponent(key.id)}/revoke`, {});
      toast(TOAST_CHANNEL, t('apiKeys.revokedDone'), 'green');
      await load();
    } catch (error) {
      toast(TOAST_CHANNEL, errorText(error), 'red');
    }
  };

  const promote = async (key: ApiKeyInfo) => {
    try {
      const production = await core.request<CreatedApiKey>('POST', `/api/api-keys/${encodeURIComponent(key.id)}/promote`, {});
      setPromoted(true);
      setCreated(production);
      await load();
    } catch (error) {
      const refused = serverProblem(error)?.code === 'homologation_required';
      toast(TOAST_CHANNEL, refused ? t('admin.keys.promoteRefused') : adminErrorText(error), 'red');
      await load();
    }
  };

  const promotionRefusalText = (why: PromotionRefusal, key: ApiKeyInfo) =>
    why === 'promoted' ? t('admin.keys.promoteAlready', { id: key.promotedTo }) : t(why === 'noRun' ? 'admin.keys.promoteNeedsRun' : 'admin.keys.promoteNeedsPass');
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
        {t('apiKeys.intro')} {t('admin.keys.newKeysAreSandbox')}
      </Text>
      {loadError && (
        <Alert color="red" data-testid={API_KEYS_IDS.error}>
          {t('apiKeys.loadFailed', { message: loadError })}
        </Alert>
      )}
      {keys && keys.length === 0 && <Text c="dimmed">{t('apiKeys.empty')}</Text>}
      {keys && keys.length > 0 && (
        // Never wider than the window: below this width the table scrolls inside the page.
        <Table.ScrollContainer minWidth={720}>
        <Table striped data-testid={API_KEYS_IDS.table}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('apiKeys.columns.name')}</Table.Th>
              <Table.Th>{t('apiKeys.columns.scopes')}</Table.Th>
              <Table.Th>{t('admin.keys.homologation')}</Table.Th>
              <Table.Th>
                {t('apiKeys.columns.lastUsed')} / {t('apiKeys.columns.expires')}
              </Table.Th>
              <Table.Th>{t('apiKeys.columns.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {keys.map((key) => {
              const status = statusOf(key, now);
              const environment = environmentOf(key);
              const promotion = promotionOf(key, now);
              const run = key.lastHomologation ?? null;
              return (
                <Table.Tr key={key.id} data-testid={API_KEYS_IDS.row} data-key-id={key.id}>
                  <Table.Td maw={240}>
                    <Text size="sm">{key.name}</Text>
                    <Badge size="sm" my={2} variant={environment === 'sandbox' ? 'light' : 'filled'} color={environment === 'sandbox' ? 'violet' : 'teal'} data-testid={KEY_HOMOLOGATION_IDS.environment} data-environment={environment}>
                      {t(`admin.keys.environments.${environment}`)}
                    </Badge>
                    <Code display="block" style={{ wordBreak: 'break-all', whiteSpace: 'normal' }}>
                      {key.prefix}…
                    </Code>
                    {/* A person's name, not their user id (an older server sends only the id). */}
                    <Text size="xs" c="dimmed" data-testid={API_KEYS_IDS.createdBy}>
                      {t('apiKeys.createdBy', { name: key.createdByName ?? key.createdBy })}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {/* One line per resource ("Produtos: Leitura, Escrita"): all of a key's scopes fit a narrow window. */}
                    <Stack gap={2}>
                      {API_RESOURCES.filter((resource) => key.scopes.some((scope) => scope.startsWith(`${resource}:`))).map((resource) => {
                        const accesses = (['read', 'write'] as const).filter((access) => key.scopes.includes(`${resource}:${access}`));
                        return (
                          <Text key={resource} size="xs" style={{ whiteSpace: 'nowrap' }}>
                            <Text span size="xs" fw={600}>
                              {t(`apiKeys.resources.${resource}`)}
                            </Text>
                            : {accesses.map((access) => t(`apiKeys.${access}`)).join(', ')}
                          </Text>
                        );
                      })}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    {environment === 'sandbox' || run ? (
                      <Stack gap={4} align="flex-start">
                        <UnstyledButton onClick={() => setRunOf(key)} data-testid={KEY_HOMOLOGATION_IDS.lastRun} data-passed={run ? String(run.passed) : 'none'}>
                          <Badge variant="light" color={!run ? 'gray' : run.passed ? 'green' : 'red'} style={{ cursor: 'pointer' }}>
                            {!run ? t('admin.keys.noRun') : run.passed ? t('admin.keys.runPassed') : t('admin.keys.runFailed', { count: failedStepCount(run) })}
                          </Badge>
                        </UnstyledButton>
                        {run && (
                          <Text size="xs" c="dimmed">
                            {format.format(new Date(run.receivedAt))}
                          </Text>
                        )}
                        {promotion.offered && promotion.allowed && (
                          <ConfirmButton size="compact-xs" color="teal" question={t('admin.keys.promoteQuestion', { name: key.name })} onConfirm={() => void promote(key)} data-testid={KEY_HOMOLOGATION_IDS.promote}>
                            {t('admin.keys.promote')}
                          </ConfirmButton>
                        )}
                        {promotion.offered && !promotion.allowed && (
                          <Tooltip label={promotionRefusalText(promotion.why, key)} multiline w={260}>
                            <Button size="compact-xs" color="teal" disabled data-testid={KEY_HOMOLOGATION_IDS.promote}>
                              {t('admin.keys.promote')}
                            </Button>
                          </Tooltip>
                        )}
                        {promotion.offered && !promotion.allowed && (
                          <Text size="xs" c="dimmed" maw={220} data-testid={KEY_HOMOLOGATION_IDS.promoteWhy} data-why={promotion.why}>
                            {promotionRefusalText(promotion.why, key)}
                          </Text>
                        )}
                      </Stack>
                    ) : (
                      <Text size="sm" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{when(key.lastUsedAt, t('apiKeys.never'))}</Text>
                    <Text size="xs" c="dimmed">
                      {when(key.expiresAt, t('apiKeys.noExpiry'))}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {/* Status and its action in one column, so the table fits a 1024-pixel window. */}
                    <Stack gap={6} align="flex-start">
                      <Badge color={status === 'active' ? 'green' : 'gray'} data-testid={API_KEYS_IDS.status}>
                        {t(`apiKeys.${status}`)}
                      </Badge>
                      {status !== 'revoked' && (
                        <ConfirmButton size="compact-xs" color="red" variant="light" question={t('apiKeys.revokeQuestion', { name: key.name })} onConfirm={() => void revoke(key)} data-testid={API_KEYS_IDS.revoke}>
                          {t('apiKeys.revoke')}
                        </ConfirmButton>
                      )}
                    </Stack>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        </Table.ScrollContainer>
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
      <HomologationRunModal apiKey={runOf} onClose={() => setRunOf(null)} />
      <Modal opened={created !== null} onClose={() => { setCreated(null); setPromoted(false); }} title={promoted ? t('admin.keys.promotedTitle') : t('apiKeys.createdTitle')} size="lg" centered closeOnClickOutside={false}>
        <Stack gap="sm">
          <Alert color="yellow">{t('apiKeys.createdBody')}</Alert>
          {created && (
            <Group gap="xs">
              <Badge variant="light" color={environmentOf(created) === 'sandbox' ? 'violet' : 'teal'} data-testid={KEY_HOMOLOGATION_IDS.environment} data-environment={environmentOf(created)}>
                {t(`admin.keys.environments.${environmentOf(created)}`)}
              </Badge>
              <Text size="sm">{created.name}</Text>
            </Group>
          )}
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
            <Button onClick={() => { setCreated(null); setPromoted(false); }} data-testid={API_KEYS_IDS.done}>
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
                  // A scope that grants nothing is not offered (sales:write: station sales are read-only for integrators).
                  if (!grantableAccess(resource).includes(access)) {
                    return (
                      <Table.Td key={access}>
                        <Text size="xs" c="dimmed" data-testid={`${API_KEYS_IDS.scope}-${resource}-${access}-none`}>
                          {t('admin.keys.readOnly')}
                        </Text>
                      </Table.Td>
                    );
                  }
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
