import { useState } from 'react';
import { Alert, Badge, Button, Code, Group, NumberInput, Paper, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SandboxClock, SandboxInfo } from '../../../sync/schema/sandbox.ts';
import { dateTimeFormat } from '../../i18n/format.ts';
import { ConfirmButton } from '../ConfirmButton.tsx';
import { useCore } from '../core-context.tsx';
import { toast } from '../toast.ts';
import { useAdminErrorText } from './admin-error.ts';
import { useAdminResource } from './use-admin-list.ts';
import { offsetParts } from './clock-offset.ts';
import { SANDBOX_IDS } from './test-ids.ts';

const FIXTURES = ['products', 'customers', 'stations', 'contracts'] as const;
const UNIT_SECONDS = { hours: 3_600, days: 86_400 } as const;
/** The server bounds the clock's offset; the screen asks for at most ten years at a time. */
const MAX_DAYS = 3_650;

/**
 * The store's homologation sandbox (API-06), for its administrator: create it (seeded with sample data),
 * see what the fixtures hold, reset it (asks first: its data is erased and reseeded, its clock set back),
 * and move its clock forward (hours or days) so billing, overdue receivables and reservation expiry can
 * be exercised. Routes and shapes: sync/schema/sandbox.ts.
 */
export function SandboxPage() {
  const core = useCore();
  const { t, i18n } = useTranslation();
  const errorText = useAdminErrorText();
  // undefined: loading; null: this store has none yet (404).
  const { value: sandbox, setValue: setSandbox, loadError } = useAdminResource<SandboxInfo>('/api/sandbox', { missingIsNull: true });
  const [busy, setBusy] = useState(false);
  const [amount, setAmount] = useState<number | ''>(1);
  const [unit, setUnit] = useState<keyof typeof UNIT_SECONDS>('days');
  const [clockError, setClockError] = useState<string | null>(null);

  const change = async (path: string, done: string) => {
    setBusy(true);
    try {
      setSandbox(await core.request<SandboxInfo>('POST', path, {}));
      toast('admin-sandbox', done, 'green');
    } catch (error) {
      toast('admin-sandbox', errorText(error), 'red');
    } finally {
      setBusy(false);
    }
  };

  const advance = async () => {
    if (amount === '' || amount < 1 || !Number.isSafeInteger(amount)) return setClockError(t('admin.sandbox.needsAmount'));
    setBusy(true);
    try {
      const clock = await core.request<SandboxClock>('POST', '/api/v1/sandbox/clock', { advanceSeconds: amount * UNIT_SECONDS[unit] });
      setSandbox((current) => (current ? { ...current, clock } : current));
      setClockError(null);
      toast('admin-sandbox', t('admin.sandbox.advanced'), 'green');
    } catch (error) {
      setClockError(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  const format = dateTimeFormat(i18n.language);
  const when = (iso: string) => format.format(new Date(iso));
  const ahead = (seconds: number) => {
    const parts = offsetParts(seconds);
    const text = [parts.days ? t('admin.sandbox.days', { count: parts.days }) : '', parts.hours ? t('admin.sandbox.hours', { count: parts.hours }) : '', parts.minutes ? t('admin.sandbox.minutes', { count: parts.minutes }) : '']
      .filter(Boolean)
      .join(' ');
    return text ? t('admin.sandbox.ahead', { text }) : t('admin.sandbox.notAhead');
  };
  const count = new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'pt-BR');

  return (
    <Stack gap="sm" data-testid={SANDBOX_IDS.page} data-state={sandbox === undefined ? 'loading' : sandbox === null ? 'none' : 'ready'}>
      <Title order={3}>{t('admin.sandbox.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('admin.sandbox.intro')}
      </Text>
      {loadError && (
        <Alert color="red" data-testid={SANDBOX_IDS.error}>
          {t('admin.sandbox.loadFailed', { message: loadError })}
        </Alert>
      )}
      {sandbox === null && (
        <Paper withBorder p="md" radius="md" data-testid={SANDBOX_IDS.none}>
          <Group justify="space-between">
            <Text>{t('admin.sandbox.none')}</Text>
            <Button loading={busy} onClick={() => void change('/api/sandbox', t('admin.sandbox.created'))} data-testid={SANDBOX_IDS.create}>
              {t('admin.sandbox.create')}
            </Button>
          </Group>
        </Paper>
      )}
      {sandbox && (
        <Stack gap="sm" data-testid={SANDBOX_IDS.info} data-store-id={sandbox.storeId}>
          <Paper withBorder p="md" radius="md">
            <Group justify="space-between" align="flex-start">
              <Stack gap={4}>
                <Text size="sm">
                  {t('admin.sandbox.store')}: <Code>{sandbox.storeId}</Code>
                </Text>
                <Text size="sm" c="dimmed">
                  {t('admin.sandbox.createdAt')}: {when(sandbox.createdAt)} · {t('admin.sandbox.resetAt')}: {sandbox.resetAt ? when(sandbox.resetAt) : t('admin.sandbox.neverReset')}
                </Text>
              </Stack>
              <ConfirmButton color="red" variant="light" loading={busy} question={t('admin.sandbox.resetQuestion')} onConfirm={() => void change('/api/sandbox/reset', t('admin.sandbox.resetDone'))} data-testid={SANDBOX_IDS.reset}>
                {t('admin.sandbox.reset')}
              </ConfirmButton>
            </Group>
            <Text fw={500} mt="md" mb={6}>
              {t('admin.sandbox.fixtures')}
            </Text>
            <SimpleGrid cols={{ base: 2, md: 4 }} spacing="xs">
              {FIXTURES.map((kind) => (
                <Paper key={kind} withBorder p="xs" radius="sm" data-testid={`${SANDBOX_IDS.fixture}-${kind}`} data-count={sandbox.fixtures[kind]}>
                  <Text size="xs" c="dimmed">
                    {t(`admin.sandbox.fixtureKinds.${kind}`)}
                  </Text>
                  <Text fw={700} size="lg">
                    {count.format(sandbox.fixtures[kind])}
                  </Text>
                </Paper>
              ))}
            </SimpleGrid>
          </Paper>
          <Paper withBorder p="md" radius="md" data-testid={SANDBOX_IDS.clock} data-offset-seconds={sandbox.clock.offsetSeconds}>
            <Text fw={500}>{t('admin.sandbox.clock')}</Text>
            <Text size="sm" c="dimmed" mb="xs">
              {t('admin.sandbox.clockHint')}
            </Text>
            <Group gap="xs" mb="sm">
              <Text size="sm">{t('admin.sandbox.now')}:</Text>
              <Text fw={700}>{when(sandbox.clock.now)}</Text>
              <Badge variant="light" tt="none" color={sandbox.clock.offsetSeconds > 0 ? 'violet' : 'gray'}>
                {ahead(sandbox.clock.offsetSeconds)}
              </Badge>
            </Group>
            <Group gap="xs" align="flex-end">
              <NumberInput label={t('admin.sandbox.advanceBy')} w={140} min={1} max={unit === 'days' ? MAX_DAYS : MAX_DAYS * 24} allowDecimal={false} allowNegative={false} value={amount} onChange={(value) => setAmount(typeof value === 'number' ? value : '')} data-testid={SANDBOX_IDS.amount} />
              <SegmentedControl
                value={unit}
                onChange={(value) => setUnit(value as keyof typeof UNIT_SECONDS)}
                data={[
                  { value: 'hours', label: t('admin.sandbox.units.hours') },
                  { value: 'days', label: t('admin.sandbox.units.days') },
                ]}
                data-testid={SANDBOX_IDS.unit}
              />
              <Button loading={busy} onClick={() => void advance()} data-testid={SANDBOX_IDS.advance}>
                {t('admin.sandbox.advance')}
              </Button>
            </Group>
            {clockError && (
              <Alert color="red" mt="xs" data-testid={SANDBOX_IDS.clockError}>
                {clockError}
              </Alert>
            )}
          </Paper>
        </Stack>
      )}
    </Stack>
  );
}
