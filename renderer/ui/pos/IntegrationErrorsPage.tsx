import { useEffect } from 'react';
import { Alert, Badge, Button, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { TEST_IDS } from '../../test-ids.ts';
import { usePosContext, usePosErrorText } from './pos-context.tsx';
import { useDateTime } from './use-money.ts';
import { useRetryRefusal } from './use-retry-refusal.ts';
import { toast } from '../toast.ts';

const ids = TEST_IDS.pos.errors;

/** Integration errors (POS-07): what the server refused or quarantined, with the reason; retry after fixing. */
export function IntegrationErrorsPage() {
  const { t } = useTranslation();
  const { integrationErrors, integrationErrorsFailed, refreshIntegrationErrors } = usePosContext();
  const errorText = usePosErrorText();
  const dateTime = useDateTime();
  const { retrying: busy, retry } = useRetryRefusal('pos-integration-errors', errorText, (result) =>
    toast('pos-integration-errors', t('pos.errors.retried', { result: result.resolvedAt ? t('pos.errors.resolved') : `${t('pos.errors.stillRefused')}: ${result.message}` }), result.resolvedAt ? 'teal' : 'orange'),
  );

  useEffect(() => {
    void refreshIntegrationErrors();
  }, [refreshIntegrationErrors]);

  const list = integrationErrors ?? [];
  const open = list.filter((e) => !e.resolvedAt);
  const resolved = list.filter((e) => e.resolvedAt);
  return (
    <Stack gap="sm" style={{ overflow: 'auto' }}>
      <Group justify="space-between">
        <div>
          <Title order={4}>{t('pos.errors.title')}</Title>
          <Text size="sm" c="dimmed">{t('pos.errors.subtitle')}</Text>
        </div>
        <Button variant="default" onClick={() => void refreshIntegrationErrors()} data-testid={ids.refresh}>
          {t('pos.errors.refresh')}
        </Button>
      </Group>
      {integrationErrorsFailed && <Alert color="gray" data-testid={ids.offline}>{t('pos.errors.offline')}</Alert>}
      {integrationErrors && open.length === 0 && <Alert color="teal" data-testid={ids.empty}>{t('pos.errors.empty')}</Alert>}
      {list.length > 0 && (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('pos.errors.at')}</Table.Th>
              <Table.Th>{t('pos.errors.collection')}</Table.Th>
              <Table.Th>{t('pos.errors.document')}</Table.Th>
              <Table.Th>{t('pos.errors.reason')}</Table.Th>
              <Table.Th>{t('pos.errors.attempts')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[...open, ...resolved].map((entry) => (
              <Table.Tr key={entry.id} data-testid={ids.row} data-document-id={entry.documentId} data-reason={entry.reason} data-resolved={String(!!entry.resolvedAt)} style={{ opacity: entry.resolvedAt ? 0.55 : 1 }}>
                <Table.Td>{dateTime(entry.createdAt)}</Table.Td>
                <Table.Td>{t(`pos.errors.collections.${entry.collection}`, { defaultValue: entry.collection })}</Table.Td>
                <Table.Td>
                  <Code>{entry.collection === 'sales' && typeof entry.document.number === 'number' ? `#${entry.document.number} · ` : ''}{entry.documentId.slice(0, 8)}</Code>
                </Table.Td>
                <Table.Td>
                  <Badge color={entry.resolvedAt ? 'gray' : 'red'} variant="light">{t(`pos.errors.reasons.${entry.reason}`)}</Badge>
                  {!entry.resolvedAt && <Text size="sm" mt={2}>{t(`pos.errors.hints.${entry.reason}`)}</Text>}
                  <Text size="xs" c="dimmed" mt={2}>{entry.message}</Text>
                </Table.Td>
                <Table.Td>{entry.attempts}</Table.Td>
                <Table.Td>
                  {entry.resolvedAt ? (
                    <Badge color="teal">{t('pos.errors.resolved')}</Badge>
                  ) : (
                    <Button size="xs" onClick={() => void retry(entry)} loading={busy === entry.id} data-testid={ids.retry}>
                      {t('pos.errors.retry')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
