import { useMemo, useState } from 'react';
import { Alert, Badge, Button, Group, Modal, Select, Stack, Table, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { formatTaxId } from '../../../sync/rules/index.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { isOutdated, pendingProjects } from '../../core/design/view.ts';
import { useDateTime } from '../pos/use-money.ts';
import { OutdatedMark, StageBadge } from './badges.tsx';
import { useDesign, useDesignErrorText } from './design-context.tsx';
import { NoticesList } from './NoticesList.tsx';
import { useCustomers } from './use-customers.ts';
import { toast } from '../toast.ts';

const ids = TEST_IDS.design.projects;

/** Projects with their stage and status (DES-12): how many environments, how many wait for an update. */
export function ProjectsPage() {
  const { t } = useTranslation();
  const { design, projects, environments, actions, open } = useDesign();
  const customers = useCustomers();
  const dateTime = useDateTime();
  const [adding, setAdding] = useState(false);

  const byProject = useMemo(() => {
    const counts = new Map<string, { total: number; outdated: number; creating: number }>();
    for (const env of environments) {
      const entry = counts.get(env.projectId) ?? { total: 0, outdated: 0, creating: 0 };
      entry.total += 1;
      if (isOutdated(env)) entry.outdated += 1;
      if (env.status === 'creating') entry.creating += 1;
      counts.set(env.projectId, entry);
    }
    return counts;
  }, [environments]);
  const pending = pendingProjects(projects, actions);

  return (
    <Stack gap="sm" style={{ overflow: 'auto' }}>
      <Group justify="space-between">
        <div>
          <Title order={4}>{t('design.projects.title')}</Title>
          <Text size="sm" c="dimmed">{t('design.projects.subtitle')}</Text>
        </div>
        {design?.can('createProject') && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)} data-testid={ids.add}>
            {t('design.projects.add')}
          </Button>
        )}
      </Group>
      <NoticesList />
      {projects.length === 0 && pending.length === 0 ? (
        <Alert color="gray">{t('design.projects.empty')}</Alert>
      ) : (
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('design.projects.name')}</Table.Th>
              <Table.Th>{t('design.projects.customer')}</Table.Th>
              <Table.Th>{t('design.projects.stage')}</Table.Th>
              <Table.Th>{t('design.projects.status')}</Table.Th>
              <Table.Th>{t('design.projects.environments')}</Table.Th>
              <Table.Th>{t('design.projects.updatedAt')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {pending.map((action) => (
              <Table.Tr key={action.id} data-testid={ids.row} data-project-id={action.newId} data-pending="true">
                <Table.Td>{action.name}</Table.Td>
                <Table.Td>{customers.get(action.customerId ?? '')?.name ?? '—'}</Table.Td>
                <Table.Td colSpan={3}>
                  <Badge color="orange" variant="light">{t('design.projects.pending')}</Badge>
                </Table.Td>
                <Table.Td>{dateTime(action.requestedAt)}</Table.Td>
              </Table.Tr>
            ))}
            {projects.map((project) => {
              const counts = byProject.get(project.id) ?? { total: 0, outdated: 0, creating: 0 };
              return (
                <Table.Tr key={project.id} data-testid={ids.row} data-project-id={project.id} data-stage={project.stage} data-pending="false">
                  <Table.Td>
                    <UnstyledButton onClick={() => open({ page: 'project', projectId: project.id })} fw={600} c="blue">
                      {project.name}
                    </UnstyledButton>
                    {project.legacy && <Badge ml={6} size="xs" variant="outline">{t('design.projects.legacy')}</Badge>}
                  </Table.Td>
                  <Table.Td>{customers.get(project.customerId)?.name ?? '—'}</Table.Td>
                  <Table.Td>
                    <StageBadge stage={project.stage} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{project.contract ? t(`design.contract.${project.contract.status}`) : t('design.contract.none')}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <Text size="sm">{counts.total}</Text>
                      {counts.outdated > 0 && <OutdatedMark label={t('design.projects.outdatedCount', { count: counts.outdated })} />}
                      {counts.creating > 0 && <Badge size="sm" variant="light" color="gray">{t('design.projects.creatingCount', { count: counts.creating })}</Badge>}
                    </Group>
                  </Table.Td>
                  <Table.Td>{dateTime(project.updatedAt)}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={adding} onClose={() => setAdding(false)} title={t('design.projects.addTitle')}>
        {adding && <NewProjectForm onDone={() => setAdding(false)} />}
      </Modal>
    </Stack>
  );
}

function NewProjectForm({ onDone }: { onDone(): void }) {
  const { t } = useTranslation();
  const { design, open } = useDesign();
  const customers = useCustomers();
  const errorText = useDesignErrorText();
  const [name, setName] = useState('');
  const [customerId, setCustomerId] = useState<string | null>(null);
  const [legacyId, setLegacyId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const options = useMemo(
    () => [...customers.values()].filter((c) => c.active).sort((a, b) => a.name.localeCompare(b.name, 'pt-BR')).map((c) => ({ value: c.id, label: `${c.name} · ${formatTaxId(c.taxId)}` })),
    [customers],
  );

  const save = async () => {
    if (!design) return;
    try {
      // A legacy design project (DES-15) becomes a new store project linked to it, with its environments.
      const id = legacyId.trim() ? await design.createLegacyProject(name, customerId ?? '', legacyId) : await design.createProject(name, customerId ?? '');
      toast('design-projects', t('design.projects.created'), 'teal');
      onDone();
      open({ page: 'project', projectId: id });
    } catch (cause) {
      setError(errorText(cause));
    }
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <Stack gap="sm">
        <TextInput label={t('design.projects.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid={ids.name} data-autofocus required />
        <Select
          label={t('design.projects.customer')}
          description={t('design.projects.customerHint')}
          data={options}
          value={customerId}
          onChange={setCustomerId}
          searchable
          nothingFoundMessage={t('design.projects.noCustomer')}
          data-testid={ids.customer}
          required
        />
        <TextInput
          label={t('design.projects.legacyId')}
          description={t('design.projects.legacyIdHint')}
          value={legacyId}
          onChange={(e) => setLegacyId(e.currentTarget.value)}
          data-testid={ids.legacyId}
        />
        {error && <Alert color="red" data-testid={ids.error}>{error}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>{t('common.cancel')}</Button>
          <Button type="submit" data-testid={ids.save}>{t('design.projects.create')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
