/**
 * The core's side of the header defects: an offline session is renewed once the server answers
 * (or ends with the session-expired notice), send-now failures reach the UI as CoreErrors, and the
 * first-sync flag is true on a new device only. The server is a tiny HTTP stand-in at the network
 * edge; the sync engine is a fake whose status the test drives.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LoginRequest } from '../../sync/schema/index.ts';
import { ApiError } from '../../sync/client/index.ts';
import { createWebBridge } from '../../renderer/bridge/web-bridge.ts';
import type { Core } from '../../renderer/core/core.ts';
import { CoreError } from '../../renderer/core/errors.ts';
import { MemoryStorage } from './support/memory-storage.ts';
import { answer, startStandIn, type StandIn } from './support/stand-in-server.ts';
import { fakeEngines, OFFLINE } from './support/fake-sync.ts';
import { memoryCore } from './support/memory-core.ts';

/** How the stand-in server behaves beyond being down (`standIn.down`): the cashier's current password. */
const server = { password: 'caixa123', logins: 0, roles: ['cashier'], meCalls: 0 };
let standIn: StandIn;
let serverUrl: string;
const user = { id: 'u-caixa', code: 'caixa', name: 'Caixa Um', roles: ['cashier'] };
const store = { id: 's-1', code: 'loja1', name: 'Loja Centro' };

beforeAll(async () => {
  standIn = await startStandIn((req, res, raw) => {
    if (req.url === '/api/stations/pair') {
      return answer(res, 200, { stationId: 'st-1', stationCode: 'cx01', stationName: 'Caixa 01', store, deviceKey: 'device-key-1' });
    }
    if (req.url === '/api/auth/me') {
      server.meCalls++;
      return answer(res, 200, { user: { ...user, roles: server.roles }, store, stationId: 'st-1' });
    }
    if (req.url === '/api/auth/login') {
      const body = JSON.parse(raw) as LoginRequest;
      server.logins++;
      if (body.password !== server.password || body.deviceKey !== 'device-key-1') return answer(res, 401, { error: { code: 'invalid_credentials', message: 'wrong user or password' } });
      return answer(res, 200, { token: `token-caixa-${server.logins}`, expiresAt: '2099-01-01T00:00:00.000Z', user: { ...user, roles: server.roles }, store, stationId: 'st-1' });
    }
  });
  serverUrl = standIn.url;
});

afterAll(async () => {
  await standIn.close();
});

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('renderer core: header state', () => {
  const storage = new MemoryStorage();
  const bridge = createWebBridge(storage);
  const engines = fakeEngines();
  let core: Core;

  it('the first-sync flag is set on a new device and cleared for good once the first pull finished', async () => {
    core = memoryCore(bridge, storage, engines.startSync);
    await core.start();
    await core.pair({ serverUrl, storeCode: 'loja1', stationCode: 'cx01', pairingCode: 'any' });
    await core.login('caixa', 'caixa123');
    expect(core.state.firstSync).toBe(true);
    engines.last().status.next({ ...OFFLINE, online: true, initialSync: { done: true, pulled: 0 } });
    expect(core.state.firstSync).toBe(false);

    // Next login: the new engine's initialSync starts at 0 again, yet it is no first sync.
    await core.logout();
    await core.login('caixa', 'caixa123');
    expect(engines.last().status.value.initialSync.done).toBe(false);
    expect(core.state.firstSync).toBe(false);
  });

  it('send now with the server unreachable rejects with server_unreachable, which the header explains', async () => {
    engines.last().sendNow = async () => {
      throw new ApiError('network', `Server ${serverUrl} is unreachable.`);
    };
    const failure = core.sendNow();
    await expect(failure).rejects.toBeInstanceOf(CoreError);
    await failure.catch((error: CoreError) => expect(error.code).toBe('server_unreachable'));
    engines.last().sendNow = async () => {};
    await expect(core.sendNow()).resolves.toBeUndefined();
  });

  /** Opens an offline session with the RxJS interval under the test's control (the renewal timer). */
  async function offlineSession(): Promise<void> {
    await core.logout();
    standIn.down = true;
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const session = await core.login('caixa', 'caixa123');
    expect(session.offline).toBe(true);
    expect(engines.last().options.getToken()).toBeNull();
  }

  it('POS-01 POS-02 a session opened offline gets its token once the server answers, without asking again: the offline badge goes', async () => {
    try {
      await offlineSession();
      standIn.down = false;
      vi.advanceTimersByTime(10_000);
      await until(() => core.state.session?.offline === false, 'the session to be renewed');
    } finally {
      vi.useRealTimers();
    }
    const token = `token-caixa-${server.logins}`;
    expect(core.state.session).toMatchObject({ offline: false, user: { code: 'caixa' } });
    expect(engines.last().options.getToken()).toBe(token);
    expect(await bridge.getSecret('sessionToken')).toBe(token);
    // A reload reopens the renewed session, not the offline one; the token is in no storage.
    expect(JSON.parse(storage.getItem('balcao.current-session')!)).toMatchObject({ offline: false });
    expect([...storage.map.values()].join('\n')).not.toContain(token);
    expect(core.state.phase).toBe('ready');
  });

  it('POS-14 send now in an offline session logs in first, then uploads with the new token', async () => {
    try {
      await offlineSession();
    } finally {
      vi.useRealTimers();
    }
    standIn.down = false;
    let tokenAtSend: string | null = null;
    engines.last().sendNow = async () => {
      tokenAtSend = engines.last().options.getToken();
    };
    await core.sendNow();
    expect(tokenAtSend).toBe(`token-caixa-${server.logins}`);
    expect(core.state.session?.offline).toBe(false);
  });

  it('ADM-02 an offline session whose user\'s roles changed meanwhile ends, once the server answers, with the roles-changed notice', async () => {
    try {
      await offlineSession();
      server.roles = ['cashier', 'backoffice'];
      standIn.down = false;
      vi.advanceTimersByTime(10_000);
      await until(() => core.state.phase === 'login', 'the session to end');
    } finally {
      vi.useRealTimers();
      server.roles = ['cashier'];
    }
    expect(core.state).toMatchObject({ phase: 'login', session: null, loginNotice: 'roles_changed' });
    await core.login('caixa', 'caixa123');
  });

  it('POS-01 an offline session whose password the server no longer accepts ends on the login screen saying why', async () => {
    try {
      await offlineSession();
      server.password = 'nova-senha';
      standIn.down = false;
      vi.advanceTimersByTime(10_000);
      await until(() => core.state.phase === 'login', 'the session to end');
    } finally {
      vi.useRealTimers();
    }
    expect(core.state).toMatchObject({ phase: 'login', session: null, loginNotice: 'session_expired' });
    // The old password no longer opens the till offline either.
    standIn.down = true;
    await expect(core.login('caixa', 'caixa123')).rejects.toMatchObject({ code: 'offline_never_logged_in' });
  });
});

describe('renderer core: roles changed on the server', () => {
  it('ADM-02 back online after the live stream closed, a session whose user\'s roles changed ends with the roles-changed notice; unchanged roles keep it open', async () => {
    standIn.down = false;
    server.password = 'caixa123';
    server.roles = ['cashier'];
    const storage = new MemoryStorage();
    const bridge = createWebBridge(storage);
    const engines = fakeEngines();
    const core = memoryCore(bridge, storage, engines.startSync);
    await core.start();
    await core.pair({ serverUrl, storeCode: 'loja1', stationCode: 'cx01', pairingCode: 'any' });
    await core.login('caixa', 'caixa123');
    const online = { ...OFFLINE, online: true, initialSync: { done: true, pulled: 0 } };
    const asked = server.meCalls;
    engines.last().status.next(online);
    await until(() => server.meCalls === asked + 1, 'the roles to be asked');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(core.state).toMatchObject({ phase: 'ready', session: { user: { code: 'caixa' } } });
    // Still online: nothing is asked again.
    engines.last().status.next({ ...online, pendingUploads: 1 });
    expect(server.meCalls).toBe(asked + 1);

    // The admin changes the roles: the server closes the stream, the engine reconnects.
    server.roles = ['cashier', 'backoffice'];
    engines.last().status.next({ ...online, online: false });
    engines.last().status.next(online);
    await until(() => core.state.phase === 'login', 'the session to end');
    expect(core.state).toMatchObject({ phase: 'login', session: null, loginNotice: 'roles_changed' });
  });
});
