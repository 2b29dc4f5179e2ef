import { useCallback, useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, Modal, ScrollArea, Stack, Table, Tabs, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { dateTimeFormat } from '../../i18n/format.ts';
import { useCore } from '../core-context.tsx';
import { toast } from '../toast.ts';
import { useAdminErrorText } from './admin-error.ts';
import { WEBHOOKS_IDS } from './test-ids.ts';
import { subscriptionPath, type AttemptView, type LogPage, type MessageView, type SubscriptionView } from './webhook-types.ts';

const PAGE = 50;
const STATE_COLOR: Record<MessageView['state'], string> = { pending: 'yellow', delivered: 'green', failed: 'red' };

/**
 * The delivery log of one subscription: its messages (events) newest first with their delivery state,
 * and every attempt (status code, duration, error). A message can be redelivered (same webhook-id and
 * body, a fresh 3-day window): the receiver drops it if it already has it. Pages of 50, "show more".
 */
export function WebhookLog({ subscription, onClose, onChanged }: { subscription: SubscriptionView | null; onClose(): void; onChanged(): void }) {
  const core = useCore();
  const { t, i18n } = useTranslation();
  const errorText = useAdminErrorText();
  const [messages, setMessages] = useState<LogPage<'messages', MessageView> | null>(null);
  const [attempts, setAttempts] = useState<LogPage<'attempts', AttemptView> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const id = subscription?.id ?? null;

  const load = useCallback(async () => {
    if (!id) return;
    try {
      const [firstMessages, firstAttempts] = await Promise.all([
        core.request<LogPage<'messages', MessageView>>('GET', `${subscriptionPath(id)}/messages?limit=${PAGE}`),
        core.request<LogPage<'attempts', AttemptView>>('GET', `${subscriptionPath(id)}/attempts?limit=${PAGE}`),
      ]);
      setMessages(firstMessages);
      setAttempts(firstAttempts);
      setProblem(null);
    } catch (error) {
      setProblem(errorText(error));
    }
  }, [core, id, errorText]);

  useEffect(() => {
    setMessages(null);
    setAttempts(null);
    void load();
    // Loaded when another subscription's log opens.
  }, [id]);

  const moreMessages = async () => {
    if (!id || !messages?.nextCursor) return;
    try {
      const next = await core.request<LogPage<'messages', MessageView>>('GET', `${subscriptionPath(id)}/messages?limit=${PAGE}&cursor=${encodeURIComponent(messages.nextCursor)}`);
      setMessages({ ...next, messages: [...messages.messages, ...next.messages] });
    } catch (error) {
      setProblem(errorText(error));
    }
  };
  const moreAttempts = async () => {
    if (!id || !attempts?.nextCursor) return;
    try {
      const next = await core.request<LogPage<'attempts', AttemptView>>('GET', `${subscriptionPath(id)}/attempts?limit=${PAGE}&cursor=${encodeURIComponent(attempts.nextCursor)}`);
      setAttempts({ ...next, attempts: [...attempts.attempts, ...next.attempts] });
    } catch (error) {
      setProblem(errorText(error));
    }
  };

  const redeliver = async (message: MessageView) => {
    if (!id) return;
    try {
      await core.request('POST', `${subscriptionPath(id)}/messages/${encodeURIComponent(message.id)}/redeliver`, {});
      toast('admin-webhooks', t('admin.webhooks.redelivered'), 'green');
      await load();
      onChanged();
    } catch (error) {
      toast('admin-webhooks', errorText(error), 'red');
    }
  };

  const format = dateTimeFormat(i18n.language);
  const when = (iso: string) => format.format(new Date(iso));
  const eventName = (type: string) => t(`admin.webhooks.events.${type}`, { defaultValue: type });

  return (
    <Modal opened={subscription !== null} onClose={onClose} title={t('admin.webhooks.logTitle', { url: subscription?.url ?? '' })} size="min(1100px, 96vw)" centered styles={{ title: { wordBreak: 'break-all' } }}>
      <Stack gap="sm" data-testid={WEBHOOKS_IDS.logPanel}>
        <Group justify="flex-end">
          <Button size="xs" variant="default" onClick={() => void load()} data-testid={WEBHOOKS_IDS.logRefresh}>
            {t('admin.refresh')}
          </Button>
        </Group>
        {problem && <Alert color="red">{problem}</Alert>}
        <Tabs defaultValue="messages" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="messages">{t('admin.webhooks.messages')}</Tabs.Tab>
            <Tabs.Tab value="attempts">{t('admin.webhooks.attempts')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="messages" pt="xs">
            {messages && messages.messages.length === 0 && <Text c="dimmed">{t('admin.webhooks.noMessages')}</Text>}
            {messages && messages.messages.length > 0 && (
              <ScrollArea.Autosize mah="60vh" type="auto">
                <Table striped fz="sm" verticalSpacing={4}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('admin.webhooks.messageColumns.createdAt')}</Table.Th>
                      <Table.Th>{t('admin.webhooks.messageColumns.event')}</Table.Th>
                      <Table.Th>{t('admin.webhooks.messageColumns.state')}</Table.Th>
                      <Table.Th>{t('admin.webhooks.messageColumns.attempts')}</Table.Th>
                      <Table.Th>{t('admin.webhooks.messageColumns.last')}</Table.Th>
                      <Table.Th />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {messages.messages.map((message) => (
                      <Table.Tr key={message.id} data-testid={WEBHOOKS_IDS.message} data-message-id={message.id} data-state={message.state}>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>{when(message.createdAt)}</Table.Td>
                        <Table.Td>
                          <Text size="sm">{eventName(message.type)}</Text>
                          <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
                            {message.resourceId} · {message.id}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Badge color={STATE_COLOR[message.state]} variant="light">
                            {t(`admin.webhooks.states.${message.state}`)}
                          </Badge>
                          {message.nextAttemptAt && (
                            <Text size="xs" c="dimmed">
                              {t('admin.webhooks.nextAttempt', { when: when(message.nextAttemptAt) })}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>{message.attempts}</Table.Td>
                        <Table.Td>
                          <Text size="sm">{message.lastStatus ?? (message.attempts > 0 ? t('admin.webhooks.noAnswer') : '—')}</Text>
                          {message.lastError && (
                            <Text size="xs" c="red" lineClamp={2} title={message.lastError}>
                              {message.lastError}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Button size="compact-xs" variant="light" onClick={() => void redeliver(message)} data-testid={WEBHOOKS_IDS.redeliver}>
                            {t('admin.webhooks.redeliver')}
                          </Button>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea.Autosize>
            )}
            {messages?.hasMore && (
              <Button mt="xs" size="xs" variant="subtle" onClick={() => void moreMessages()}>
                {t('admin.webhooks.more')}
              </Button>
            )}
          </Tabs.Panel>
          <Tabs.Panel value="attempts" pt="xs">
            {attempts && attempts.attempts.length === 0 && <Text c="dimmed">{t('admin.webhooks.noAttempts')}</Text>}
            {attempts && attempts.attempts.length > 0 && (
              <ScrollArea.Autosize mah="60vh" type="auto">
                <Table striped fz="sm" verticalSpacing={4}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('admin.webhooks.attemptColumns.at')}</Table.Th>
                      <Table.Th>{t('admin.webhooks.attemptColumns.event')}</Table.Th>
                      <Table.Th>{t('admin.webhooks.attemptColumns.attempt')}</Table.Th>
                      <Table.Th>{t('admin.webhooks.attemptColumns.status')}</Table.Th>
                      <Table.Th>{t('admin.webhooks.attemptColumns.duration')}</Table.Th>
                      <Table.Th>{t('admin.webhooks.attemptColumns.error')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {attempts.attempts.map((attempt) => (
                      <Table.Tr key={`${attempt.messageId}-${attempt.attempt}`} data-testid={WEBHOOKS_IDS.attempt} data-message-id={attempt.messageId} data-status={attempt.statusCode ?? 'none'}>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>{when(attempt.at)}</Table.Td>
                        <Table.Td>
                          <Tooltip label={attempt.messageId}>
                            <Text size="sm">{eventName(attempt.type)}</Text>
                          </Tooltip>
                        </Table.Td>
                        <Table.Td>{attempt.attempt}</Table.Td>
                        <Table.Td>
                          <Badge color={attempt.statusCode !== null && attempt.statusCode < 300 ? 'green' : 'red'} variant="light">
                            {attempt.statusCode ?? t('admin.webhooks.noAnswer')}
                          </Badge>
                        </Table.Td>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>{t('admin.webhooks.durationMs', { ms: new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'pt-BR').format(attempt.durationMs) })}</Table.Td>
                        <Table.Td>
                          <Text size="xs" c={attempt.error ? 'red' : 'dimmed'} style={{ wordBreak: 'break-word' }}>
                            {attempt.error ?? '—'}
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea.Autosize>
            )}
            {attempts?.hasMore && (
              <Button mt="xs" size="xs" variant="subtle" onClick={() => void moreAttempts()}>
                {t('admin.webhooks.more')}
              </Button>
            )}
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </Modal>
  );
}
