import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * A secret shown once (a webhook signing secret, a promoted key): copy it now; closing forgets it.
 * Only an explicit button closes it, so a stray click does not lose the secret.
 */
export function SecretModal({ secret, title, body, note, onClose, testId, doneTestId }: { secret: string | null; title: string; body: string; note?: string; onClose(): void; testId: string; doneTestId: string }) {
  const { t } = useTranslation();
  return (
    <Modal opened={secret !== null} onClose={onClose} title={title} size="lg" centered closeOnClickOutside={false}>
      <Stack gap="sm">
        <Alert color="yellow">{body}</Alert>
        <Code block data-testid={testId} style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
          {secret}
        </Code>
        {note && (
          <Text size="sm" c="dimmed">
            {note}
          </Text>
        )}
        <Group justify="flex-end">
          <CopyButton value={secret ?? ''}>
            {({ copied, copy }) => (
              <Button variant="light" onClick={copy}>
                {copied ? t('admin.webhooks.copied') : t('admin.webhooks.copy')}
              </Button>
            )}
          </CopyButton>
          <Button onClick={onClose} data-testid={doneTestId}>
            {t('admin.webhooks.done')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
