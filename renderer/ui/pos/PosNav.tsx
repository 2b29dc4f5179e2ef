import { Kbd, NavLink } from '@mantine/core';
import { IconActivity, IconArrowsExchange, IconCash, IconChartBar, IconDatabase, IconExclamationCircle, IconList, IconReceipt, IconReceiptOff, IconShieldCheck, IconArrowBackUp, IconCashRegister, IconBuildingStore } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../sync/schema/index.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { AuditPage } from './AuditPage.tsx';
import { CancelPage } from './CancelPage.tsx';
import { CashPage } from './CashPage.tsx';
import { ExchangePage } from './ExchangePage.tsx';
import { IntegrationErrorsPage } from './IntegrationErrorsPage.tsx';
import { MonitorPage } from './MonitorPage.tsx';
import { SaleWorkspace } from './SaleWorkspace.tsx';
import { StationQueryPage } from './StationQueryPage.tsx';
import { StoragePage } from './StoragePage.tsx';
import { StorePage } from './StorePage.tsx';
import { SummaryPage } from './SummaryPage.tsx';
import { hotkeyOf, usePosHotkeys } from './use-pos-hotkeys.ts';

const POS_PAGES = ['sale', 'cancelSale', 'exchange', 'cancelExchange', 'cash', 'query', 'summary', 'errors', 'audit', 'storage', 'monitor', 'store'] as const;
export type PosPage = (typeof POS_PAGES)[number];

export function isPosPage(page: string): page is PosPage {
  return (POS_PAGES as readonly string[]).includes(page);
}

const ICONS: Record<PosPage, typeof IconCash> = {
  sale: IconCashRegister,
  cancelSale: IconReceiptOff,
  exchange: IconArrowsExchange,
  cancelExchange: IconArrowBackUp,
  cash: IconCash,
  query: IconList,
  summary: IconChartBar,
  errors: IconExclamationCircle,
  audit: IconShieldCheck,
  storage: IconDatabase,
  monitor: IconActivity,
  store: IconBuildingStore,
};

/** Which POS entries a user sees: selling needs the sales collection (cashier, admin); the monitor is admin only. */
export function posPagesFor(roles: readonly Role[]): PosPage[] {
  const sells = roles.includes('cashier') || roles.includes('admin');
  return POS_PAGES.filter((page) => {
    if (page === 'monitor' || page === 'store') return roles.includes('admin');
    if (page === 'storage') return true;
    return sells;
  });
}

export function PosNav({ roles, page, onOpen }: { roles: readonly Role[]; page: PosPage | null; onOpen(page: PosPage): void }) {
  const { t } = useTranslation();
  const pages = posPagesFor(roles);
  const sells = pages.includes('sale');
  usePosHotkeys(pages, onOpen);
  const link = (p: PosPage) => {
    const Icon = ICONS[p];
    const key = hotkeyOf(p);
    return (
      <NavLink
        key={p}
        label={t(`pos.nav.${p}`)}
        leftSection={<Icon size={16} />}
        rightSection={key ? <Kbd size="xs">{key}</Kbd> : undefined}
        active={page === p}
        onClick={() => onOpen(p)}
        data-testid={TEST_IDS.pos.nav[p]}
      />
    );
  };
  return (
    <>
      {sells && (
        <NavLink label={t('pos.nav.posGroup')} leftSection={<IconReceipt size={18} />} defaultOpened childrenOffset={12}>
          {(['sale', 'cancelSale', 'exchange', 'cancelExchange', 'cash'] as const).map(link)}
        </NavLink>
      )}
      <NavLink label={t('pos.nav.reportsGroup')} leftSection={<IconChartBar size={18} />} defaultOpened childrenOffset={12}>
        {pages.filter((p) => ['query', 'summary', 'errors', 'audit', 'storage', 'monitor', 'store'].includes(p)).map(link)}
      </NavLink>
    </>
  );
}

export function PosPageView({ page }: { page: PosPage }) {
  switch (page) {
    case 'sale':
      return <SaleWorkspace />;
    case 'cancelSale':
      return <CancelPage key="sale" kind="sale" />;
    case 'exchange':
      return <ExchangePage />;
    case 'cancelExchange':
      return <CancelPage key="exchange" kind="exchange" />;
    case 'cash':
      return <CashPage />;
    case 'query':
      return <StationQueryPage />;
    case 'summary':
      return <SummaryPage />;
    case 'errors':
      return <IntegrationErrorsPage />;
    case 'audit':
      return <AuditPage />;
    case 'storage':
      return <StoragePage />;
    case 'monitor':
      return <MonitorPage />;
    case 'store':
      return <StorePage />;
  }
}
