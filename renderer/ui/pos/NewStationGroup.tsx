import { useState } from 'react';
import { Button, Group, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { MasterRecord } from '../../../sync/schema/index.ts';
import { normalize } from '../../core/product-index.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useCore } from '../core-context.tsx';
import { usePosContext, usePosErrorText } from './pos-context.tsx';
import { toast } from '../toast.ts';

const ids = TEST_IDS.pos.monitor;

/** "Grupo Sul 2" → "grupo-sul-2": the group's code, part of its id like the seeded groups'. */
function codeOf(name: string): string {
  return normalize(name).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
}

/**
 * Registers a station group centrally (POS-04) so stations can be moved into it (POS-08). It is
 * master data: it reaches every device, this one included, through replication.
 */
export function NewStationGroup() {
  const { t } = useTranslation();
  const core = useCore();
  const { catalog } = usePosContext();
  const errorText = usePosErrorText();
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async () => {
    const trimmed = name.trim();
    const code = codeOf(trimmed);
    const storeCode = core.state.settings.storeCode;
    if (!code || !storeCode) {
      setProblem(t('pos.monitor.groupNameRequired'));
      return;
    }
    const id = `${storeCode}-stationGroup-${code}`;
    if (catalog.byId.has(id)) {
      setProblem(t('pos.monitor.groupExists', { name: catalog.byId.get(id)!.name }));
      return;
    }
    setBusy(true);
    try {
      const group: MasterRecord = { id, kind: 'stationGroup', code, name: trimmed.slice(0, 200), active: true, priceTable: [] };
      await core.request('PUT', `/api/v1/masterdata/${encodeURIComponent(id)}`, group);
      toast('pos-monitor', t('pos.monitor.groupCreated', { name: group.name }), 'teal');
      setName('');
      setProblem(null);
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Group align="flex-start" gap="xs">
      <TextInput
        size="xs"
        w={260}
        placeholder={t('pos.monitor.newGroupName')}
        aria-label={t('pos.monitor.newGroupName')}
        value={name}
        onChange={(event) => {
          setName(event.currentTarget.value);
          setProblem(null);
        }}
        onKeyDown={(event) => event.key === 'Enter' && void save()}
        error={problem}
        data-testid={ids.newGroupName}
      />
      <Button size="xs" variant="default" onClick={() => void save()} loading={busy} data-testid={ids.newGroupSave}>
        {t('pos.monitor.newGroup')}
      </Button>
    </Group>
  );
}
