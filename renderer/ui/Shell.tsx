import { useEffect, useState } from 'react';
import { Alert, AppShell, Avatar, Badge, Group, Menu, NavLink, ScrollArea, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconBuildingStore, IconChevronDown, IconHistory, IconKey, IconLanguage, IconLogout, IconPackage, IconUsers, IconWebhook, IconFlask } from '@tabler/icons-react';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { TEST_IDS } from '../test-ids.ts';
import { changeLanguage } from '../i18n/index.ts';
import { useCore, useObservable } from './core-context.tsx';
import { SyncHeader } from './SyncHeader.tsx';
import { ProductsPage } from './ProductsPage.tsx';
import classes from './table.module.css';
import { CustomersPage } from './CustomersPage.tsx';
import { PosProvider } from './pos/pos-context.tsx';
import { PosNav, PosPageView, isPosPage, type PosPage } from './pos/PosNav.tsx';
import { DesignProvider } from './design/design-context.tsx';
import { DesignNav, DesignView } from './design/DesignNav.tsx';
import { BackofficeNav, BackofficeView } from './backoffice/BackofficeNav.tsx';
import { ApiKeysPage } from './admin/ApiKeysPage.tsx';
import { API_KEYS_IDS, ADMIN_TRAIL_IDS } from './admin/test-ids.ts';
import { AdminTrailPage } from './admin/AdminTrailPage.tsx';
import { WEBHOOKS_IDS, SANDBOX_IDS } from './admin/test-ids.ts';
import { WebhooksPage } from './admin/WebhooksPage.tsx';
import { SandboxPage } from './admin/SandboxPage.tsx';

type Page = 'products' | 'customers' | 'design' | 'backoffice' | 'apiKeys' | 'adminTrail' | 'webhooks' | 'sandbox' | PosPage;

function formatBytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

export function Shell() {
  const core = useCore();
  const state = useObservable(core.state$, core.state);
  const { t } = useTranslation();
  const session = state.session;
  const roles = session?.user.roles ?? [];
  // Products stay the landing page (issue 2's acceptance relies on it); the sale screen is one click away.
  const [page, setPage] = useState<Page>('products');
  // Toasts belong to the session that raised them: the next user at this station must not see them.
  useEffect(() => () => notifications.clean(), []);

  const setLanguage = async (language: 'pt-BR' | 'en') => {
    await core.setLanguage(language);
    await changeLanguage(language);
  };

  return (
    <PosProvider>
    <DesignProvider onShow={() => setPage('design')}>
    <AppShell header={{ height: 52 }} navbar={{ width: 220, breakpoint: 'sm' }} padding="sm">
      <AppShell.Header>
        <Group h="100%" px="sm" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <IconBuildingStore size={22} />
            <Text fw={700}>{t('app.name')}</Text>
            {/* One line, cut with an ellipsis: a long store name must not push the sync badges. */}
            <Text size="sm" c="dimmed" visibleFrom="lg" truncate="end" maw={240} title={`${state.settings.storeName} · ${state.settings.stationCode}`}>
              {state.settings.storeName} · {state.settings.stationCode}
            </Text>
            {/* Goes once the core renews the session online (or sends the user to login if refused). */}
            {session?.offline && (
              <Tooltip label={t('shell.offlineSessionHint')} multiline w={320}>
                <Badge color="yellow" variant="light" style={{ flexShrink: 0 }} data-testid={TEST_IDS.shell.offlineSession}>
                  {t('shell.offlineSession')}
                </Badge>
              </Tooltip>
            )}
          </Group>
          <Group gap="sm" wrap="nowrap">
            <SyncHeader />
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton data-testid={TEST_IDS.shell.userMenu}>
                  <Group gap={6} wrap="nowrap">
                    <Avatar size="sm" radius="xl" color="blue">
                      {session?.user.name.slice(0, 1).toUpperCase()}
                    </Avatar>
                    <Text size="sm" visibleFrom="sm" truncate="end" maw={160}>
                      {session?.user.name}
                    </Text>
                    <IconChevronDown size={14} />
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label data-testid={TEST_IDS.shell.roles}>{session?.user.roles.map((role) => t(`roles.${role}`)).join(', ')}</Menu.Label>
                <Menu.Label>
                  <Group gap={4}>
                    <IconLanguage size={14} /> {t('shell.language')}
                  </Group>
                </Menu.Label>
                <Menu.Item data-testid={TEST_IDS.shell.languagePt} onClick={() => void setLanguage('pt-BR')} fw={state.settings.language === 'pt-BR' ? 700 : 400}>
                  Português (Brasil)
                </Menu.Item>
                <Menu.Item data-testid={TEST_IDS.shell.languageEn} onClick={() => void setLanguage('en')} fw={state.settings.language === 'en' ? 700 : 400}>
                  English
                </Menu.Item>
                <Menu.Divider />
                <Menu.Item color="red" leftSection={<IconLogout size={16} />} data-testid={TEST_IDS.shell.logout} onClick={() => void core.logout()}>
                  {t('shell.logout')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        {/* The entries outgrow a small window (an admin has them all): the list scrolls, the window never does. */}
        <AppShell.Section grow component={ScrollArea} type="auto" offsetScrollbars data-testid={TEST_IDS.shell.nav}>
        <NavLink label={t('shell.nav.products')} leftSection={<IconPackage size={18} />} active={page === 'products'} onClick={() => setPage('products')} data-testid={TEST_IDS.shell.navProducts} />
        <NavLink label={t('shell.nav.customers')} leftSection={<IconUsers size={18} />} active={page === 'customers'} onClick={() => setPage('customers')} data-testid={TEST_IDS.shell.navCustomers} />
        <PosNav roles={roles} page={isPosPage(page) ? page : null} onOpen={setPage} />
        {/* A cashier's device does not replicate design projects: no entry rather than a dead one. */}
        {roles.some((role) => role !== 'cashier') && <DesignNav roles={roles} active={page === 'design'} />}
        <BackofficeNav roles={roles} active={page === 'backoffice'} onOpen={() => setPage('backoffice')} />
        {roles.includes('admin') && <NavLink label={t('apiKeys.nav')} leftSection={<IconKey size={18} />} active={page === 'apiKeys'} onClick={() => setPage('apiKeys')} data-testid={API_KEYS_IDS.nav} />}
        {roles.includes('admin') && <NavLink label={t('adminTrail.nav')} leftSection={<IconHistory size={18} />} active={page === 'adminTrail'} onClick={() => setPage('adminTrail')} data-testid={ADMIN_TRAIL_IDS.nav} />}
        {roles.includes('admin') && <NavLink label={t('admin.webhooks.nav')} leftSection={<IconWebhook size={18} />} active={page === 'webhooks'} onClick={() => setPage('webhooks')} data-testid={WEBHOOKS_IDS.nav} />}
        {roles.includes('admin') && <NavLink label={t('admin.sandbox.nav')} leftSection={<IconFlask size={18} />} active={page === 'sandbox'} onClick={() => setPage('sandbox')} data-testid={SANDBOX_IDS.nav} />}
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <div className={classes.main}>
        {state.syncUnavailable && (
          <Alert color="orange" mb="xs">
            {t('shell.syncUnavailable')}
          </Alert>
        )}
        {state.storage && (
          <Alert color="red" mb="xs" data-testid={TEST_IDS.shell.storageError}>
            {state.storage.kind === 'nearly_full'
              ? t('shell.storageNearlyFull', { usage: formatBytes(state.storage.usage), quota: formatBytes(state.storage.quota) })
              : t('shell.storageWriteFailed')}
          </Alert>
        )}
        {page === 'products' ? <ProductsPage /> : page === 'customers' ? <CustomersPage /> : page === 'design' ? <DesignView /> : page === 'backoffice' ? <BackofficeView /> : page === 'apiKeys' ? <ApiKeysPage /> : page === 'adminTrail' ? <AdminTrailPage /> : page === 'webhooks' ? <WebhooksPage /> : page === 'sandbox' ? <SandboxPage /> : <PosPageView page={page} />}
        </div>
      </AppShell.Main>
    </AppShell>
    </DesignProvider>
    </PosProvider>
  );
}
