import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Group, Modal, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCore } from '../core-context.tsx';
import { useAdminErrorText } from './admin-error.ts';
import { WEBHOOKS_IDS } from './test-ids.ts';
import { WEBHOOKS_BASE, type CreatedSubscription, type EventTypeInfo } from './webhook-types.ts';

const LOW_STOCK = 'stock.below_level';

/**
 * The admin's "new subscription" form: URL, event types (the server's list, GET …/event-types), the
 * level of the low-stock event, a description. POSTs …/subscriptions; the server checks the URL (https,
 * public address) and answers with the signing secret, handed to `onCreated` to show once.
 */
export function WebhookForm({ opened, onClose, onCreated }: { opened: boolean; onClose(): void; onCreated(created: CreatedSubscription): void }) {
  const core = useCore();
  const { t } = useTranslation();
  const errorText = useAdminErrorText();
  const [types, setTypes] = useState<EventTypeInfo[]>([]);
  const [url, setUrl] = useState('');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [level, setLevel] = useState<number | ''>('');
  const [description, setDescription] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!opened || types.length > 0) return;
    core.request<EventTypeInfo[]>('GET', `${WEBHOOKS_BASE}/event-types`).then(setTypes, (error: unknown) => setProblem(errorText(error)));
    // Asked once, when the form first opens.
  }, [opened]);

  const toggle = (type: string, on: boolean) =>
    setChosen((current) => {
      const next = new Set(current);
      if (on) next.add(type);
      else next.delete(type);
      return next;
    });

  const submit = async () => {
    if (url.trim() === '') return setProblem(t('admin.webhooks.form.needsUrl'));
    if (chosen.size === 0) return setProblem(t('admin.webhooks.form.needsEvents'));
    if (chosen.has(LOW_STOCK) && level === '') return setProblem(t('admin.webhooks.form.needsLevel'));
    setSaving(true);
    try {
      const created = await core.request<CreatedSubscription>('POST', `${WEBHOOKS_BASE}/subscriptions`, {
        url: url.trim(),
        eventTypes: [...chosen],
        ...(chosen.has(LOW_STOCK) && level !== '' ? { stockLevel: level } : {}),
        ...(description.trim() ? { description: description.trim() } : {}),
      });
      setUrl('');
      setChosen(new Set());
      setLevel('');
      setDescription('');
      setProblem(null);
      onCreated(created);
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('admin.webhooks.create')} size="lg" centered>
      <Stack gap="sm" data-testid={WEBHOOKS_IDS.form}>
        <TextInput label={t('admin.webhooks.form.url')} description={t('admin.webhooks.form.urlHint')} placeholder="https://erp.exemplo.com.br/webhooks/balcao" value={url} maxLength={2000} onChange={(event) => setUrl(event.currentTarget.value)} data-testid={WEBHOOKS_IDS.url} required />
        <Text size="sm" fw={500}>
          {t('admin.webhooks.form.events')}
        </Text>
        <Stack gap={6}>
          {types.map((info) => (
            <Checkbox
              key={info.type}
              label={t(`admin.webhooks.events.${info.type}`, { defaultValue: info.type })}
              description={info.type}
              checked={chosen.has(info.type)}
              onChange={(event) => toggle(info.type, event.currentTarget.checked)}
              data-testid={`${WEBHOOKS_IDS.event}-${info.type}`}
            />
          ))}
        </Stack>
        {chosen.has(LOW_STOCK) && (
          <NumberInput label={t('admin.webhooks.form.stockLevel')} description={t('admin.webhooks.form.stockLevelHint')} min={1} max={1_000_000_000} allowDecimal={false} allowNegative={false} value={level} onChange={(value) => setLevel(typeof value === 'number' ? value : '')} data-testid={WEBHOOKS_IDS.stockLevel} />
        )}
        <TextInput label={t('admin.webhooks.form.description')} value={description} maxLength={200} onChange={(event) => setDescription(event.currentTarget.value)} />
        {problem && (
          <Alert color="red" data-testid={WEBHOOKS_IDS.formError}>
            {problem}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('admin.cancel')}
          </Button>
          <Button onClick={() => void submit()} loading={saving} data-testid={WEBHOOKS_IDS.save}>
            {t('admin.webhooks.form.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
