import { useEffect, useState } from 'react';
import { Alert, Anchor, Badge, Button, Code, Group, Table, Text, Tooltip } from '@mantine/core';
import { IconExternalLink, IconFlag } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { DesignEnvironmentDoc, DesignVersion } from '../../../sync/schema/index.ts';
import { getBridge } from '../../bridge/index.ts';
import { openUrl } from '../../core/design/link.ts';
import { sortedVersions } from '../../core/design/view.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useCore } from '../core-context.tsx';
import { useDateTime } from '../pos/use-money.ts';
import { GreenMark } from './badges.tsx';
import { useDesignErrorText } from './design-context.tsx';

const ids = TEST_IDS.design.environment;

/** Every update is a version (DES-08); each opens in the design software (DES-10). */
export function VersionsTab({ env }: { env: DesignEnvironmentDoc }) {
  const { t } = useTranslation();
  const dateTime = useDateTime();
  const versions = sortedVersions(env);
  const newest = versions[0]?.number;
  if (versions.length === 0) return <Text size="sm" c="dimmed">{t('design.versions.empty')}</Text>;
  return (
    <Table striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('design.versions.version')}</Table.Th>
          <Table.Th>{t('design.versions.option')}</Table.Th>
          <Table.Th>{t('design.versions.importedAt')}</Table.Th>
          <Table.Th>{t('design.versions.designId')}</Table.Th>
          <Table.Th>{t('design.versions.marks')}</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {versions.map((version) => (
          <Table.Tr
            key={version.id}
            data-testid={ids.version}
            data-number={version.number}
            data-newest={String(version.number === newest)}
            data-converted={String(!!version.convertedAt)}
            data-design-id={version.designId}
            data-after-conversion={String(!!version.afterConversion)}
          >
            <Table.Td>
              <Group gap={6}>
                <Text fw={600}>{t('design.versions.number', { number: version.number })}</Text>
                {version.number === newest && <GreenMark label={t('design.versions.newest')} />}
              </Group>
            </Table.Td>
            <Table.Td>{version.optionName}</Table.Td>
            <Table.Td>{dateTime(version.importedAt)}</Table.Td>
            <Table.Td>
              <Code>{version.designId}</Code>
            </Table.Td>
            <Table.Td>
              <Group gap={4}>
                {version.convertedAt && (
                  <Tooltip label={t('design.versions.converted', { at: dateTime(version.convertedAt) })}>
                    <Badge color="grape" variant="filled" leftSection={<IconFlag size={12} />}>
                      {t('design.versions.convertedMark')}
                    </Badge>
                  </Tooltip>
                )}
                {version.afterConversion && <Badge color="orange" variant="light">{t('design.versions.afterConversion')}</Badge>}
              </Group>
            </Table.Td>
            <Table.Td>
              <OpenInDesign env={env} version={version} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Electron opens the design software through the bridge; the browser host shows a plain link. */
export function OpenInDesign({ env, version }: { env: DesignEnvironmentDoc; version?: DesignVersion }) {
  const { t } = useTranslation();
  const core = useCore();
  const errorText = useDesignErrorText();
  const [host, setHost] = useState<'electron' | 'web'>('web');
  const [link, setLink] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void getBridge().appInfo().then((info) => setHost(info.host));
  }, []);

  const openIt = async () => {
    setBusy(true);
    setError(null);
    try {
      const url = await openUrl((method, path, body) => core.request(method, path, body), env.id, version?.number);
      if (host === 'electron') await getBridge().openDesignSoftware(url);
      else setLink(url);
    } catch (cause) {
      setError(errorText(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Group gap={6} wrap="nowrap">
      {link ? (
        <Anchor href={link} target="_blank" rel="noopener noreferrer" size="sm" data-testid={ids.openLink}>
          <Group gap={4} wrap="nowrap">
            <IconExternalLink size={14} /> {t('design.versions.openLink')}
          </Group>
        </Anchor>
      ) : (
        <Button size="xs" variant="default" leftSection={<IconExternalLink size={14} />} onClick={() => void openIt()} loading={busy} disabled={!env.designEnvironmentId} data-testid={ids.openDesign}>
          {t('design.versions.open')}
        </Button>
      )}
      {error && (
        <Alert color="red" p={4}>
          <Text size="xs">{error}</Text>
        </Alert>
      )}
    </Group>
  );
}
