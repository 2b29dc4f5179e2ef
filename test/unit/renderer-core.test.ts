/**
 * The data core without React: pairing, online login, offline login against the kept verifier,
 * logout and the session-expired path. The central server is replaced at the network edge by a tiny
 * HTTP server that answers the contract of sync/schema/wire.ts; the database is RxDB's memory storage.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { collectionsFor, type LoginRequest, type PairRequest } from '../../sync/schema/index.ts';
import { createWebBridge } from '../../renderer/bridge/web-bridge.ts';
import type { Core } from '../../renderer/core/core.ts';
import { CoreError } from '../../renderer/core/errors.ts';
import { createVerifier } from '../../renderer/core/offline-login.ts';
import { MemoryStorage } from './support/memory-storage.ts';
import { answer, startStandIn, type StandIn } from './support/stand-in-server.ts';
import { fakeEngines, OFFLINE } from './support/fake-sync.ts';
import { memoryCore } from './support/memory-core.ts';

let server: StandIn;
let serverUrl: string;
const passwords: Record<string, string> = { caixa: 'caixa123', admin: 'admin123' };

beforeAll(async () => {
  server = await startStandIn((req, res, raw) => {
    if (req.url === '/api/stations/pair') {
      const body = JSON.parse(raw) as PairRequest;
      if (body.pairingCode !== 'cx01-pair') return answer(res, 401, { error: { code: 'invalid_pairing', message: 'wrong pairing code' } });
      return answer(res, 200, { stationId: 'st-1', stationCode: 'cx01', stationName: 'Caixa 01', store: { id: 's-1', code: 'loja1', name: 'Loja Centro' }, deviceKey: 'device-key-1' });
    }
    if (req.url === '/api/auth/login') {
      const body = JSON.parse(raw) as LoginRequest;
      if (passwords[body.userCode] !== body.password || body.deviceKey !== 'device-key-1') {
        return answer(res, 401, { error: { code: 'invalid_credentials', message: 'wrong user or password' } });
      }
      const roles = body.userCode === 'admin' ? ['admin'] : ['cashier'];
      return answer(res, 200, {
        token: `token-${body.userCode}`,
        expiresAt: '2099-01-01T00:00:00.000Z',
        user: { id: `u-${body.userCode}`, code: body.userCode, name: body.userCode, roles },
        store: { id: 's-1', code: 'loja1', name: 'Loja Centro' },
        stationId: 'st-1',
      });
    }
  });
  serverUrl = server.url;
});

afterAll(async () => {
  await server.close();
});

async function expectCode(promise: Promise<unknown>, code: string) {
  await expect(promise).rejects.toBeInstanceOf(CoreError);
  await promise.catch((error: CoreError) => expect(error.code).toBe(code));
}

describe('renderer core', () => {
  const storage = new MemoryStorage();
  const bridge = createWebBridge(storage);
  const engines = fakeEngines({ ...OFFLINE, online: true });
  let core: Core;

  it('POS-04 pairs once: a wrong code is refused with invalid_pairing, the right one keeps the settings', async () => {
    core = memoryCore(bridge, storage, engines.startSync);
    await core.start();
    expect(core.state.phase).toBe('setup');
    await expectCode(core.pair({ serverUrl, storeCode: 'loja1', stationCode: 'cx01', pairingCode: 'nope' }), 'invalid_pairing');
    await core.pair({ serverUrl: `${serverUrl}/`, storeCode: 'loja1', stationCode: 'cx01', pairingCode: 'cx01-pair' });
    expect(core.state.phase).toBe('login');
    expect(core.state.settings).toMatchObject({ serverUrl, stationId: 'st-1', storeCode: 'loja1' });
    expect(await bridge.getSecret('deviceKey')).toBe('device-key-1');
  });

  it('logs in online, opens the role collections and starts sync with the token', async () => {
    await expectCode(core.login('caixa', 'wrong'), 'invalid_credentials');
    const session = await core.login('caixa', 'caixa123');
    expect(session.offline).toBe(false);
    expect(core.state.phase).toBe('ready');
    expect(await bridge.getSecret('sessionToken')).toBe('token-caixa');
    // Only the bridge has it: neither the offline record nor the current session in storage.
    expect([...storage.map.values()].join('\n')).not.toContain('token-caixa');
    const engine = engines.started.at(-1)!;
    expect(Object.keys(engine.options.collections).sort()).toEqual([...collectionsFor(['cashier'])].sort());
    expect(engine.options.getToken()).toBe('token-caixa');
    // The app's retry period unless an end-to-end web host injects a shorter one (CoreOptions.syncRetryMs).
    expect(engine.options.retryTime).toBe(1000);
    await core.saveCustomer({ name: 'Maria', taxId: '529.982.247-25', city: 'Curitiba' });
    const saved = await core.customers()!.find().exec();
    expect(saved.map((d) => d.toJSON())).toMatchObject([{ name: 'Maria', taxId: '52998224725', city: 'Curitiba', active: true }]);
  });

  it('POS-01 with the server unreachable, only a user who logged in before and types the right password gets in', async () => {
    await core.logout();
    expect(core.state.phase).toBe('login');
    expect(engines.started.at(-1)!.stopped).toBe(true);
    expect(await bridge.getSecret('sessionToken')).toBeNull();

    await server.close();
    await expectCode(core.login('caixa', 'caixa999'), 'offline_wrong_password');
    await expectCode(core.login('admin', 'admin123'), 'offline_never_logged_in');
    const session = await core.login('caixa', 'caixa123');
    expect(session).toMatchObject({ offline: true, user: { code: 'caixa' } });
    expect(core.state.phase).toBe('ready');
    // The server never saw this login: the session has no token until it answers (renewal logs in then).
    expect(engines.started.at(-1)!.options.getToken()).toBeNull();
    expect(await bridge.getSecret('sessionToken')).toBeNull();
    expect([...storage.map.values()].join('\n')).not.toContain('token-caixa');
  });

  it('a 401 from sync sends the user back to login with a notice and clears the token', async () => {
    engines.started.at(-1)!.options.onUnauthorized!();
    await vi.waitFor(() => expect(core.state).toMatchObject({ phase: 'login', loginNotice: 'session_expired', session: null }));
    expect(await bridge.getSecret('sessionToken')).toBeNull();
  });
});

describe('renderer core: a profile written by an earlier version', () => {
  it('loses the clear session tokens on its first start and still opens offline for a user who logged in before', async () => {
    const storage = new MemoryStorage();
    // Nothing listens there: the login below is an offline one.
    const serverUrl = 'http://127.0.0.1:9';
    const settings = { serverUrl, stationId: 'st-1', stationCode: 'cx01', stationName: 'Caixa 01', storeCode: 'loja1', storeName: 'Loja Centro', language: 'pt-BR' };
    storage.setItem('balcao.settings', JSON.stringify(settings));
    storage.setItem('balcao.secret.deviceKey', 'device-key-1');
    // What earlier versions wrote: the bridge's token in localStorage, and every login answer whole.
    storage.setItem('balcao.secret.sessionToken', 'token-old-caixa');
    const profile = { expiresAt: '2099-01-01T00:00:00.000Z', user: { id: 'u-caixa', code: 'caixa', name: 'caixa', roles: ['cashier'] }, store: { id: 's-1', code: 'loja1', name: 'Loja Centro' }, stationId: 'st-1' };
    const record = { serverUrl, storeCode: 'loja1', userCode: 'caixa', verifier: await createVerifier('caixa123', 1000), session: { ...profile, token: 'token-old-caixa' }, savedAt: '2026-01-01T00:00:00.000Z' };
    storage.setItem(`balcao.offline-login.${JSON.stringify([serverUrl, 'loja1', 'caixa'])}`, JSON.stringify(record));
    storage.setItem('balcao.offline-login.["x","loja1","broken"]', '{not json token-old-broken');

    const bridge = createWebBridge(storage);
    const core = memoryCore(bridge, storage, fakeEngines().startSync);
    await core.start();
    expect([...storage.map.entries()].flat().join('\n')).not.toMatch(/token-old/);
    // The verifier and who the user is stay: the cashier still gets in offline, without a token.
    const session = await core.login('caixa', 'caixa123');
    expect(session).toMatchObject({ offline: true, user: { code: 'caixa' } });
    expect(await bridge.getSecret('sessionToken')).toBeNull();
    await core.logout();
  });
});
