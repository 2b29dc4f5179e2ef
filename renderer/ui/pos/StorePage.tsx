import { useCallback, useEffect, useState } from 'react';
import { Alert, Badge, Button, Code, Group, MultiSelect, NativeSelect, NumberInput, Paper, PasswordInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ROLES, type PairingCodeIssued, type Role, type StationStatus } from '../../../sync/schema/index.ts';
import type { StoreSettings } from '../../../sync/rules/index.ts';
import { TEST_IDS } from '../../test-ids.ts';
import { useCore } from '../core-context.tsx';

const ids = TEST_IDS.pos.store;

interface StoreUser {
  id: string;
  code: string;
  name: string;
  roles: Role[];
  supervisor: boolean;
}

/**
 * The store's administration in the app (issue 15, admin only, online): the counter rules (stock and
 * seller policy, manual-discount bound), users with their roles and supervisor codes (POS-20), and
 * stations with their pairing codes (POS-04). Every change is in the server's administration trail.
 */
export function StorePage() {
  const { t } = useTranslation();
  const core = useCore();
  const [settings, setSettings] = useState<StoreSettings | null>(null);
  const [users, setUsers] = useState<StoreUser[]>([]);
  const [stations, setStations] = useState<StationStatus[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [codes, setCodes] = useState<Record<string, string>>({});
  const [issued, setIssued] = useState<PairingCodeIssued | null>(null);
  const [newUser, setNewUser] = useState({ code: '', name: '', password: '', roles: ['cashier'] as Role[] });
  const [newStation, setNewStation] = useState({ code: '', name: '' });

  const load = useCallback(async () => {
    try {
      const [s, u, st] = await Promise.all([
        core.request<StoreSettings>('GET', '/api/store/settings'),
        core.request<StoreUser[]>('GET', '/api/users'),
        core.request<StationStatus[]>('GET', '/api/stations'),
      ]);
      setSettings(s);
      setUsers(u);
      setStations(st);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [core]);
  useEffect(() => void load(), [load]);

  const act = async (what: () => Promise<unknown>, done: string) => {
    setError(null);
    setMessage(null);
    try {
      await what();
      setMessage(done);
      await load();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const roleOptions = ROLES.map((role) => ({ value: role, label: t(`roles.${role}`, { defaultValue: role }) }));

  return (
    // Scrolls inside the page area, so every control is reachable at 1024×768.
    <Stack gap="md" maw={980} data-testid={ids.page} style={{ flex: 1, minHeight: 0, overflowY: 'auto' }}>
      <Title order={4}>{t('pos.store.title')}</Title>
      {error && <Alert color="red" data-testid={ids.error}>{error}</Alert>}
      {message && <Alert color="teal" data-testid={ids.message}>{message}</Alert>}

      {settings && (
        <Paper withBorder p="sm">
          <Title order={5} mb="xs">{t('pos.store.rules')}</Title>
          <Group align="end">
            <NativeSelect
              label={t('pos.store.stockPolicy')}
              value={settings.stockPolicy}
              onChange={(e) => setSettings({ ...settings, stockPolicy: e.currentTarget.value as StoreSettings['stockPolicy'] })}
              data={[{ value: 'warn', label: t('pos.store.stockWarn') }, { value: 'block', label: t('pos.store.stockBlock') }]}
              data-testid={ids.stockPolicy}
            />
            <NativeSelect
              label={t('pos.store.sellerPolicy')}
              value={settings.sellerPolicy}
              onChange={(e) => setSettings({ ...settings, sellerPolicy: e.currentTarget.value as StoreSettings['sellerPolicy'] })}
              data={[{ value: 'ask', label: t('pos.store.sellerAsk') }, { value: 'remember', label: t('pos.store.sellerRemember') }]}
              data-testid={ids.sellerPolicy}
            />
            <NumberInput
              label={t('pos.store.maxDiscount')}
              value={settings.maxManualDiscountBp / 100}
              min={0}
              max={100}
              decimalScale={2}
              decimalSeparator=","
              suffix=" %"
              onChange={(value) => setSettings({ ...settings, maxManualDiscountBp: Math.round(Number(value || 0) * 100) })}
              w={160}
              data-testid={ids.maxDiscount}
            />
            <Button onClick={() => void act(() => core.request('PUT', '/api/store/settings', settings), t('pos.store.saved'))} data-testid={ids.saveSettings}>
              {t('common.save')}
            </Button>
          </Group>
        </Paper>
      )}

      <Paper withBorder p="sm">
        <Title order={5} mb="xs">{t('pos.store.users')}</Title>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('pos.store.user')}</Table.Th>
              <Table.Th>{t('pos.store.roles')}</Table.Th>
              <Table.Th>{t('pos.store.supervisorCode')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.map((user) => (
              <Table.Tr key={user.id} data-testid={ids.userRow} data-user-id={user.id} data-supervisor={String(user.supervisor)}>
                <Table.Td>
                  <Text size="sm">{user.name}</Text>
                  <Text size="xs" c="dimmed">{user.code}</Text>
                </Table.Td>
                <Table.Td>
                  <MultiSelect
                    size="xs"
                    data={roleOptions}
                    value={user.roles}
                    onChange={(roles) => roles.length > 0 && void act(() => core.request('PUT', `/api/users/${encodeURIComponent(user.id)}/roles`, { roles }), t('pos.store.rolesSaved', { name: user.name }))}
                    data-testid={ids.userRoles}
                  />
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    {user.supervisor && <Badge color="teal">{t('pos.store.isSupervisor')}</Badge>}
                    <PasswordInput size="xs" w={130} placeholder="6–12" value={codes[user.id] ?? ''} onChange={(e) => setCodes({ ...codes, [user.id]: e.currentTarget.value })} data-testid={ids.codeInput} />
                    <Button size="xs" disabled={!/^\d{6,12}$/.test(codes[user.id] ?? '')} onClick={() => void act(() => core.request('PUT', `/api/users/${encodeURIComponent(user.id)}/supervisor-code`, { code: codes[user.id] }), t('pos.store.codeSaved', { name: user.name }))} data-testid={ids.codeSave}>
                      {t('pos.store.setCode')}
                    </Button>
                    {user.supervisor && (
                      <Button size="xs" color="red" variant="light" onClick={() => void act(() => core.request('DELETE', `/api/users/${encodeURIComponent(user.id)}/supervisor-code`), t('pos.store.codeRevoked', { name: user.name }))} data-testid={ids.codeRevoke}>
                        {t('pos.store.revoke')}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group align="end" mt="sm">
          <TextInput size="xs" label={t('pos.store.code')} value={newUser.code} onChange={(e) => setNewUser({ ...newUser, code: e.currentTarget.value })} data-testid={ids.newUserCode} />
          <TextInput size="xs" label={t('pos.store.name')} value={newUser.name} onChange={(e) => setNewUser({ ...newUser, name: e.currentTarget.value })} data-testid={ids.newUserName} />
          <PasswordInput size="xs" label={t('pos.store.password')} value={newUser.password} onChange={(e) => setNewUser({ ...newUser, password: e.currentTarget.value })} w={150} data-testid={ids.newUserPassword} />
          <MultiSelect size="xs" label={t('pos.store.roles')} data={roleOptions} value={newUser.roles} onChange={(roles) => setNewUser({ ...newUser, roles: roles as Role[] })} w={220} />
          <Button size="xs" onClick={() => void act(async () => {
            await core.request('POST', '/api/users', newUser);
            setNewUser({ code: '', name: '', password: '', roles: ['cashier'] });
          }, t('pos.store.userAdded'))} data-testid={ids.newUserSave}>
            {t('pos.store.addUser')}
          </Button>
        </Group>
      </Paper>

      <Paper withBorder p="sm">
        <Title order={5} mb="xs">{t('pos.store.stations')}</Title>
        {issued && (
          <Alert color="blue" mb="xs" data-testid={ids.issuedCode}>
            {t('pos.store.pairingCode', { station: issued.stationCode })} <Code>{issued.pairingCode}</Code>
          </Alert>
        )}
        <Table>
          <Table.Tbody>
            {stations.map((station) => (
              <Table.Tr key={station.id} data-testid={ids.stationRow} data-station-id={station.id}>
                <Table.Td>{station.name} <Text span size="xs" c="dimmed">{station.code}</Text></Table.Td>
                <Table.Td>{station.paired ? <Badge color="teal">{t('pos.store.paired')}</Badge> : <Badge color="gray">{t('pos.store.notPaired')}</Badge>}</Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    <Button size="xs" onClick={() => void act(async () => setIssued(await core.request<PairingCodeIssued>('POST', `/api/stations/${encodeURIComponent(station.id)}/pairing-code`, {})), t('pos.store.codeIssued'))} data-testid={ids.issueCode}>
                      {t('pos.store.issueCode')}
                    </Button>
                    {station.pairingCodeExpiresAt && (
                      <Button size="xs" color="red" variant="light" onClick={() => void act(() => core.request('DELETE', `/api/stations/${encodeURIComponent(station.id)}/pairing-code`), t('pos.store.codeRevokedStation'))} data-testid={ids.revokeCode}>
                        {t('pos.store.revokeCode')}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group align="end" mt="sm">
          <TextInput size="xs" label={t('pos.store.code')} placeholder="cx03" value={newStation.code} onChange={(e) => setNewStation({ ...newStation, code: e.currentTarget.value })} data-testid={ids.newStationCode} />
          <TextInput size="xs" label={t('pos.store.name')} value={newStation.name} onChange={(e) => setNewStation({ ...newStation, name: e.currentTarget.value })} data-testid={ids.newStationName} />
          <Button size="xs" onClick={() => void act(async () => {
            await core.request('POST', '/api/stations', newStation);
            setNewStation({ code: '', name: '' });
          }, t('pos.store.stationAdded'))} data-testid={ids.newStationSave}>
            {t('pos.store.addStation')}
          </Button>
        </Group>
      </Paper>
    </Stack>
  );
}
