import { useState } from 'react';
import { Alert, NavLink, Tabs } from '@mantine/core';
import { IconBriefcase } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../sync/schema/index.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { OFFLINE_SYNC_STATUS } from '../../core/core.ts';
import { useCore, useObservable } from '../core-context.tsx';
import { CustomersTab } from './CustomersTab.tsx';
import { ServicesTab } from './ServicesTab.tsx';
import { ContractsTab } from './ContractsTab.tsx';
import { ConsumptionTab } from './ConsumptionTab.tsx';
import { ReceivablesTab } from './ReceivablesTab.tsx';

const TABS = ['customers', 'services', 'contracts', 'consumption', 'receivables'] as const;
type Tab = (typeof TABS)[number];

/** Who works in the back office (BO-01..05): the roles whose device opens its collections. */
export function hasBackoffice(roles: readonly Role[]): boolean {
  return roles.includes('backoffice') || roles.includes('admin');
}

/** The "Retaguarda" menu entry; absent for roles without the back office rather than a dead one. */
export function BackofficeNav({ roles, active, onOpen }: { roles: readonly Role[]; active: boolean; onOpen(): void }) {
  const { t } = useTranslation();
  if (!hasBackoffice(roles)) return null;
  return <NavLink label={t('shell.nav.backoffice')} leftSection={<IconBriefcase size={18} />} active={active} onClick={onOpen} data-testid={TEST_IDS.backoffice.nav} />;
}

/** The back-office screens, one tab each; all of them work offline. */
export function BackofficeView() {
  const { t } = useTranslation();
  const core = useCore();
  const online = useObservable(core.sync$, OFFLINE_SYNC_STATUS).online;
  const [tab, setTab] = useState<Tab>('customers');
  return (
    <Tabs value={tab} onChange={(value) => value && setTab(value as Tab)} keepMounted={false} style={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
      <Tabs.List mb="xs">
        {TABS.map((name) => (
          <Tabs.Tab key={name} value={name} data-testid={TEST_IDS.backoffice.tab[name]}>
            {t(`bo.tabs.${name}`)}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {!online && (
        <Alert color="yellow" mb="xs" py={6}>
          {t('bo.offline')}
        </Alert>
      )}
      {TABS.map((name) => (
        <Tabs.Panel key={name} value={name} style={{ display: tab === name ? 'flex' : 'none', flexDirection: 'column', flex: 1, minHeight: 0 }}>
          {name === 'customers' ? <CustomersTab /> : name === 'services' ? <ServicesTab /> : name === 'contracts' ? <ContractsTab /> : name === 'consumption' ? <ConsumptionTab /> : <ReceivablesTab />}
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}
