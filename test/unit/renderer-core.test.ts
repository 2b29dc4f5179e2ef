/**
 * The data core without React: pairing, online login, offline login against the kept verifier,
 * logout and the session-expired path. The central server is replaced at the network edge by a tiny
 * HTTP server that answers the contract of sync/schema/wire.ts; the database is RxDB's memory storage.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BehaviorSubject } from 'rxjs';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { collectionsFor, type LoginRequest, type PairRequest } from '../../sync/schema/index.ts';
import type { SyncEngine, SyncOptions, SyncStatus } from '../../sync/client/types.ts';
import { createWebBridge } from '../../renderer/bridge/web-bridge.ts';
import { createCore, type Core } from '../../renderer/core/core.ts';
import { CoreError } from '../../renderer/core/errors.ts';
import { createDatabase } from '../../renderer/data/database.ts';
import type { KeyValueStorage } from '../../renderer/core/offline-login.ts';

class MemoryStorage implements KeyValueStorage {
  map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  clear() {
    this.map.clear();
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
}

let server: http.Server;
let serverUrl: string;
const passwords: Record<string, string> = { caixa: 'caixa123', admin: 'admin123' };

function answer(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
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
      answer(res, 404, { error: { code: 'not_found', message: 'no route' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function fakeEngines() {
  const started: { options: SyncOptions; stopped: boolean; status: BehaviorSubject<SyncStatus> }[] = [];
  const startSync = (options: SyncOptions): SyncEngine => {
    const status = new BehaviorSubject<SyncStatus>({ online: true, pendingUploads: 0, lastSyncAt: null, lastError: null, initialSync: { done: false, pulled: 0 } });
    const entry = { options, stopped: false, status };
    started.push(entry);
    return {
      status$: status,
      get status() {
        return status.value;
      },
      sendNow: async () => {},
      awaitInSync: async () => {},
      stop: async () => {
        entry.stopped = true;
      },
    };
  };
  return { started, startSync };
}

async function expectCode(promise: Promise<unknown>, code: string) {
  await expect(promise).rejects.toBeInstanceOf(CoreError);
  await promise.catch((error: CoreError) => expect(error.code).toBe(code));
}

describe('renderer core', () => {
  const storage = new MemoryStorage();
  const bridge = createWebBridge(storage);
  const engines = fakeEngines();
  const dbName = `t${Math.random().toString(36).slice(2)}`;
  let core: Core;

  it('POS-04 pairs once: a wrong code is refused with invalid_pairing, the right one keeps the settings', async () => {
    core = createCore(bridge, {
      storage,
      openDatabase: (_name, roles) => createDatabase(dbName, roles, getRxStorageMemory()),
      startSync: engines.startSync,
      verifierIterations: 1000,
    });
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
    const engine = engines.started.at(-1)!;
    expect(Object.keys(engine.options.collections).sort()).toEqual([...collectionsFor(['cashier'])].sort());
    expect(engine.options.getToken()).toBe('token-caixa');
    await core.saveCustomer({ name: 'Maria', taxId: '529.982.247-25', city: 'Curitiba' });
    const saved = await core.customers()!.find().exec();
    expect(saved.map((d) => d.toJSON())).toMatchObject([{ name: 'Maria', taxId: '52998224725', city: 'Curitiba', active: true }]);
  });

  it('AUTH-OFFLINE with the server unreachable, only a user who logged in before and types the right password gets in', async () => {
    await core.logout();
    expect(core.state.phase).toBe('login');
    expect(engines.started.at(-1)!.stopped).toBe(true);
    expect(await bridge.getSecret('sessionToken')).toBeNull();

    await new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await expectCode(core.login('caixa', 'caixa999'), 'offline_wrong_password');
    await expectCode(core.login('admin', 'admin123'), 'offline_never_logged_in');
    const session = await core.login('caixa', 'caixa123');
    expect(session).toMatchObject({ offline: true, user: { code: 'caixa' } });
    expect(core.state.phase).toBe('ready');
    expect(engines.started.at(-1)!.options.getToken()).toBe('token-caixa');
  });

  it('a 401 from sync sends the user back to login with a notice and clears the token', async () => {
    engines.started.at(-1)!.options.onUnauthorized!();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(core.state).toMatchObject({ phase: 'login', loginNotice: 'session_expired', session: null });
    expect(await bridge.getSecret('sessionToken')).toBeNull();
  });
});
