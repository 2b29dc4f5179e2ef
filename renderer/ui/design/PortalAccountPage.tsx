import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Code, CopyButton, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { readPortalAccount, registerPortalAccount, type PortalAccount, type PortalRegistration } from '../../core/design/link.ts';
import { formatTaxId, isValidTaxId, normalizeTaxId } from '../../../sync/rules/index.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useCore } from '../core-context.tsx';
import { useDateTime } from '../pos/use-money.ts';
import { useDesignErrorText } from './design-context.tsx';

const ids = TEST_IDS.design.portal;

/** The store's design-portal account, registered once by the admin (DES-01); the signing secret shows once. */
export function PortalAccountPage() {
  const { t } = useTranslation();
  const core = useCore();
  const errorText = useDesignErrorText();
  const dateTime = useDateTime();
  const request = useCallback(<T,>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) => core.request<T>(method, path, body), [core]);
  const [account, setAccount] = useState<PortalAccount | null | undefined>(undefined);
  const [taxId, setTaxId] = useState('');
  const [accountId, setAccountId] = useState('');
  const [portalUrl, setPortalUrl] = useState('');
  const [registered, setRegistered] = useState<PortalRegistration | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const current = await readPortalAccount(request);
      setAccount(current);
      if (current) {
        setTaxId(formatTaxId(current.storeTaxId));
        setAccountId(current.accountId);
        setPortalUrl(current.portalUrl);
      }
    } catch (cause) {
      setError(errorText(cause));
    }
  }, [request]);
  useEffect(() => void load(), [load]);

  // The app's own messages, in the user's language, instead of the browser's ("Please fill out this field").
  const [problems, setProblems] = useState<{ taxId?: string; accountId?: string; portalUrl?: string }>({});
  const check = () => {
    const found: typeof problems = {};
    if (!taxId.trim()) found.taxId = t('design.portal.required');
    else if (normalizeTaxId(taxId)?.length !== 14 || !isValidTaxId(taxId)) found.taxId = t('design.portal.invalidCnpj');
    if (!accountId.trim()) found.accountId = t('design.portal.required');
    if (!portalUrl.trim()) found.portalUrl = t('design.portal.required');
    else if (!/^https?:\/\/[^\s/]+/i.test(portalUrl.trim())) found.portalUrl = t('design.portal.invalidUrl');
    setProblems(found);
    return Object.keys(found).length === 0;
  };

  const submit = async () => {
    if (!check()) return;
    setBusy(true);
    setError(null);
    try {
      setRegistered(await registerPortalAccount(request, { storeTaxId: normalizeTaxId(taxId) ?? taxId, accountId: accountId.trim(), portalUrl: portalUrl.trim() }));
      await load();
    } catch (cause) {
      setError(errorText(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="sm" maw={620}>
      <Title order={4}>{t('design.portal.title')}</Title>
      <Text size="sm" c="dimmed">{t('design.portal.subtitle')}</Text>
      {account && (
        <Card withBorder padding="sm" data-testid={ids.current}>
          <Text size="sm">{t('design.portal.current', { accountId: account.accountId, taxId: formatTaxId(account.storeTaxId), at: dateTime(account.registeredAt) })}</Text>
          <Text size="xs" c="dimmed">{account.portalUrl}</Text>
        </Card>
      )}
      {account === null && <Alert color="gray">{t('design.portal.none')}</Alert>}
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Stack gap="xs">
          <TextInput
            label={t('design.portal.taxId')}
            value={taxId}
            onChange={(e) => {
              setTaxId(e.currentTarget.value);
              setProblems((p) => ({ ...p, taxId: undefined }));
            }}
            onBlur={() => isValidTaxId(taxId) && setTaxId(formatTaxId(taxId))}
            error={problems.taxId}
            withAsterisk
            data-testid={ids.taxId}
          />
          <TextInput
            label={t('design.portal.accountId')}
            value={accountId}
            onChange={(e) => {
              setAccountId(e.currentTarget.value);
              setProblems((p) => ({ ...p, accountId: undefined }));
            }}
            error={problems.accountId}
            withAsterisk
            data-testid={ids.accountId}
          />
          <TextInput
            label={t('design.portal.url')}
            placeholder="https://portal.example.com"
            value={portalUrl}
            onChange={(e) => {
              setPortalUrl(e.currentTarget.value);
              setProblems((p) => ({ ...p, portalUrl: undefined }));
            }}
            error={problems.portalUrl}
            withAsterisk
            data-testid={ids.url}
          />
          {error && <Alert color="red" data-testid={ids.error}>{error}</Alert>}
          <Group>
            <Button type="submit" loading={busy} data-testid={ids.submit}>
              {account ? t('design.portal.update') : t('design.portal.register')}
            </Button>
          </Group>
        </Stack>
      </form>
      {registered && (
        <Alert color="teal" title={t('design.portal.secretTitle')}>
          <Text size="sm">{t('design.portal.secretHint')}</Text>
          <Group gap="xs" mt={4}>
            <Code data-testid={ids.secret}>{registered.signingSecret}</Code>
            <CopyButton value={registered.signingSecret}>
              {({ copied, copy }) => (
                <Button size="compact-xs" variant="default" onClick={copy}>
                  {copied ? t('design.portal.copied') : t('design.portal.copy')}
                </Button>
              )}
            </CopyButton>
          </Group>
        </Alert>
      )}
    </Stack>
  );
}
