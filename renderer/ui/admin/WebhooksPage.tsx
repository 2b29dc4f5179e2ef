import { useState } from 'react';
import { Alert, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { dateTimeFormat } from '../../i18n/format.ts';
import { ConfirmButton } from '../ConfirmButton.tsx';
import { useCore } from '../core-context.tsx';
import { useAdminErrorText } from './admin-error.ts';
import { toast } from '../toast.ts';
import { pauseKindOf, pausedByOf } from './pause-reason.ts';
import { SecretModal } from './SecretModal.tsx';
import { WEBHOOKS_IDS } from './test-ids.ts';
import { WebhookForm } from './WebhookForm.tsx';
import { WebhookLog } from './WebhookLog.tsx';
import { useAdminList } from './use-admin-list.ts';
import { subscriptionPath, WEBHOOKS_BASE, type CreatedSubscription, type RotatedSecret, type SubscriptionView } from './webhook-types.ts';

/** One toast at a time for this screen's actions: the latest outcome replaces the previous one. */
const TOAST_CHANNEL = 'admin-webhooks';

/**
 * Webhook subscriptions of the store (API-02), for its administrator: each with its URL, events, status
 * and — when paused — why (3 days of failed deliveries, a revoked key, or who paused it) and what to do;
 * the queue (waiting, failed). Create, pause / resume, send a test, rotate the secret (shown once),
 * delete, and the delivery log with redeliver. Calls /api/v1/webhooks with the admin's session.
 */
export function WebhooksPage() {
  const core = useCore();
  const { t, i18n } = useTranslation();
  const errorText = useAdminErrorText();
  const { items: subscriptions, loadError, load } = useAdminList<SubscriptionView>(`${WEBHOOKS_BASE}/subscriptions`);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ value: string; previousUntil: string | null } | null>(null);
  const [logOf, setLogOf] = useState<SubscriptionView | null>(null);

  const act = async (run: () => Promise<unknown>, done?: string) => {
    try {
      await run();
      if (done) toast(TOAST_CHANNEL, done, 'green');
    } catch (error) {
      toast(TOAST_CHANNEL, errorText(error), 'red');
    }
    await load();
  };
  const setStatus = (subscription: SubscriptionView, status: 'active' | 'paused') =>
    act(() => core.request('PATCH', subscriptionPath(subscription.id), { status }), t(status === 'paused' ? 'admin.webhooks.pausedDone' : 'admin.webhooks.resumedDone'));
  const rotate = (subscription: SubscriptionView) =>
    act(async () => {
      const rotated = await core.request<RotatedSecret>('POST', `${subscriptionPath(subscription.id)}/rotate-secret`, {});
      setSecret({ value: rotated.secret, previousUntil: rotated.previousSecretUntil });
    });
  const ping = (subscription: SubscriptionView) => act(() => core.request('POST', `${subscriptionPath(subscription.id)}/ping`, {}), t('admin.webhooks.pingDone'));
  const remove = (subscription: SubscriptionView) => act(() => core.request('DELETE', subscriptionPath(subscription.id)), t('admin.webhooks.removed'));

  const format = dateTimeFormat(i18n.language);
  const when = (iso: string) => format.format(new Date(iso));

  return (
    <Stack gap="sm" data-testid={WEBHOOKS_IDS.page} data-count={subscriptions?.length ?? 0}>
      <Group justify="space-between">
        <Title order={3}>{t('admin.webhooks.title')}</Title>
        <Group gap="xs">
          <Button variant="default" onClick={() => void load()} data-testid={WEBHOOKS_IDS.refresh}>
            {t('admin.refresh')}
          </Button>
          <Button onClick={() => setCreating(true)} data-testid={WEBHOOKS_IDS.create}>
            {t('admin.webhooks.create')}
          </Button>
        </Group>
      </Group>
      <Text size="sm" c="dimmed">
        {t('admin.webhooks.intro')}
      </Text>
      {loadError && (
        <Alert color="red" data-testid={WEBHOOKS_IDS.error}>
          {t('admin.webhooks.loadFailed', { message: loadError })}
        </Alert>
      )}
      {subscriptions && subscriptions.length === 0 && <Text c="dimmed">{t('admin.webhooks.empty')}</Text>}
      {subscriptions?.map((subscription) => {
        const kind = pauseKindOf(subscription);
        const paused = subscription.status === 'paused';
        return (
          <Paper key={subscription.id} withBorder p="sm" radius="md" data-testid={WEBHOOKS_IDS.row} data-subscription-id={subscription.id} data-status={subscription.status}>
            <Stack gap={6}>
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <div style={{ minWidth: 0 }}>
                  <Text fw={600} style={{ wordBreak: 'break-all' }}>
                    {subscription.url}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {subscription.description ? `${subscription.description} · ` : ''}
                    {t('admin.webhooks.columns.owner')}:{' '}
                    {/* Names, not ids (an older server sends only the ids). */}
                    <span data-testid={WEBHOOKS_IDS.owner}>
                      {subscription.apiKeyId ? t('admin.webhooks.byKey', { name: subscription.apiKeyName ?? subscription.apiKeyId }) : t('admin.webhooks.byAdmin', { name: subscription.createdByName ?? subscription.createdBy })}
                    </span>{' '}
                    · {when(subscription.createdAt)}
                  </Text>
                </div>
                <Group gap={6} wrap="nowrap">
                  {subscription.pending > 0 && (
                    <Badge color="yellow" variant="light">
                      {t('admin.webhooks.pending', { count: subscription.pending })}
                    </Badge>
                  )}
                  {subscription.failed > 0 && (
                    <Badge color="red" variant="light">
                      {t('admin.webhooks.failed', { count: subscription.failed })}
                    </Badge>
                  )}
                  <Badge color={paused ? 'orange' : 'green'} data-testid={WEBHOOKS_IDS.status}>
                    {t(`admin.webhooks.${subscription.status}`)}
                  </Badge>
                </Group>
              </Group>
              <Group gap={4}>
                {subscription.eventTypes.map((type) => (
                  <Badge key={type} size="sm" variant="outline" color="gray" tt="none" title={type}>
                    {t(`admin.webhooks.events.${type}`, { defaultValue: type })}
                    {type === 'stock.below_level' && subscription.stockLevel !== null ? ` < ${subscription.stockLevel}` : ''}
                  </Badge>
                ))}
              </Group>
              {paused && (
                <Alert color="orange" p="xs" data-testid={WEBHOOKS_IDS.pauseReason} data-kind={kind} title={t(`admin.webhooks.pauseKinds.${kind}`, { name: pausedByOf(subscription) ?? '' })}>
                  <Stack gap={2}>
                    {subscription.pausedAt && <Text size="xs">{t('admin.webhooks.pausedAt', { when: when(subscription.pausedAt) })}</Text>}
                    {/* The server's English sentence only when no code says it in the user's language (an unknown reason). */}
                    {kind === 'other' && subscription.pausedReason && (
                      <Text size="xs" c="dimmed" style={{ wordBreak: 'break-word' }}>
                        {subscription.pausedReason}
                      </Text>
                    )}
                    {t(`admin.webhooks.pauseHints.${kind}`) && <Text size="xs">{t(`admin.webhooks.pauseHints.${kind}`)}</Text>}
                  </Stack>
                </Alert>
              )}
              <Group gap="xs">
                <Button size="xs" variant="light" onClick={() => setLogOf(subscription)} data-testid={WEBHOOKS_IDS.log}>
                  {t('admin.webhooks.log')}
                </Button>
                {paused ? (
                  <Button size="xs" variant="light" color="green" onClick={() => void setStatus(subscription, 'active')} data-testid={WEBHOOKS_IDS.resume}>
                    {t('admin.webhooks.resume')}
                  </Button>
                ) : (
                  <Button size="xs" variant="light" color="orange" onClick={() => void setStatus(subscription, 'paused')} data-testid={WEBHOOKS_IDS.pause}>
                    {t('admin.webhooks.pause')}
                  </Button>
                )}
                <Button size="xs" variant="default" onClick={() => void ping(subscription)} data-testid={WEBHOOKS_IDS.ping}>
                  {t('admin.webhooks.ping')}
                </Button>
                <ConfirmButton size="xs" variant="default" question={t('admin.webhooks.rotateQuestion', { url: subscription.url })} onConfirm={() => void rotate(subscription)} data-testid={WEBHOOKS_IDS.rotate}>
                  {t('admin.webhooks.rotate')}
                </ConfirmButton>
                <ConfirmButton size="xs" variant="light" color="red" question={t('admin.webhooks.removeQuestion', { url: subscription.url })} onConfirm={() => void remove(subscription)} data-testid={WEBHOOKS_IDS.remove}>
                  {t('admin.webhooks.remove')}
                </ConfirmButton>
              </Group>
            </Stack>
          </Paper>
        );
      })}
      <WebhookForm
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(created: CreatedSubscription) => {
          setCreating(false);
          setSecret({ value: created.secret, previousUntil: null });
          void load();
        }}
      />
      <SecretModal
        secret={secret?.value ?? null}
        title={t('admin.webhooks.secretTitle')}
        body={t('admin.webhooks.secretBody')}
        note={secret?.previousUntil ? t('admin.webhooks.secretPrevious', { when: when(secret.previousUntil) }) : undefined}
        onClose={() => setSecret(null)}
        testId={WEBHOOKS_IDS.secret}
        doneTestId={WEBHOOKS_IDS.secretDone}
      />
      <WebhookLog subscription={logOf} onClose={() => setLogOf(null)} onChanged={() => void load()} />
    </Stack>
  );
}
