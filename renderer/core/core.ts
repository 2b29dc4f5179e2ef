/**
 * The data core: pairing, online and offline login, the local database, the sync engine and the
 * observables the UI subscribes to. It knows nothing of React; the UI only talks to the `Core` API.
 */
import { BehaviorSubject, Subscription, auditTime, interval, startWith, type Observable } from 'rxjs';
import type { RxCollection } from 'rxdb';
import { canWrite, type CollectionName, type Customer, type Role, type LoginResponse, type Product } from '../../sync/schema/index.ts';
import { normalizeCep, normalizeEmail, normalizePhone, normalizeTaxId } from '../../sync/rules/index.ts';
import type { SyncEngine, SyncOptions, SyncStatus } from '../../sync/client/types.ts';
import { DEFAULT_DEVICE_SETTINGS, type BalcaoBridge, type DeviceSettings } from '../bridge/types.ts';
import { addMissingCollections, createDatabase, databaseName, type BalcaoDatabase } from '../data/database.ts';
import { acquireTabLock, type TabLock } from '../data/tab-lock.ts';
import { estimateStorage, isQuotaError, requestPersistentStorage, STORAGE_WARNING_RATIO } from '../data/storage-health.ts';
import { catalogueOf } from '../data/memory-mapped-storage.ts';
import { normalizeServerUrl, serverApi } from './api.ts';
import { CoreError } from './errors.ts';
import { OfflineLoginStore, type KeyValueStorage, type OfflineProfile } from './offline-login.ts';
import { isFirstSyncPending, markFirstSyncDone } from './first-sync.ts';
import { ProductIndex } from './product-index.ts';
import { ApiError, startSync as defaultStartSync } from '../../sync/client/index.ts';
import { requestJson } from '../../sync/client/http.ts';
import { writeAudit } from './pos/pos.ts';

export type Phase = 'loading' | 'setup' | 'login' | 'ready';

export interface SessionInfo {
  user: LoginResponse['user'];
  store: LoginResponse['store'];
  /** True when the session was reopened from the local verifier while the server was unreachable. */
  offline: boolean;
  expiresAt: string;
}

export type StorageProblem = { kind: 'nearly_full'; usage: number; quota: number } | { kind: 'write_failed' } | null;

export interface CoreState {
  phase: Phase;
  settings: DeviceSettings;
  session: SessionInfo | null;
  /** Why the user is back on the login screen (e.g. session_expired). */
  loginNotice: 'session_expired' | 'roles_changed' | 'open_in_another_tab' | null;
  /** Sync engine could not be started (missing module or its error). */
  syncUnavailable: boolean;
  storage: StorageProblem;
  /** The local database has never finished a full pull: only then does the UI show first-sync progress. */
  firstSync: boolean;
}

export interface PairInput {
  serverUrl: string;
  storeCode: string;
  stationCode: string;
  pairingCode: string;
}

export type CustomerInput = Pick<Customer, 'name' | 'taxId'> & Partial<Pick<Customer, 'email' | 'phone' | 'city' | 'active' | 'cep' | 'uf' | 'address' | 'deactivationReason'>>;

/** Fields a form may not show; an edit keeps them as they are (the back office sets them, BO-01). */
const KEPT_CUSTOMER_FIELDS = ['cep', 'uf', 'address', 'deactivationReason', 'deactivatedAt', 'deactivatedBy'] as const;

export interface Core {
  readonly state$: Observable<CoreState>;
  readonly state: CoreState;
  readonly sync$: Observable<SyncStatus>;
  /** Emits (throttled) whenever the in-memory product index changed. */
  readonly productsVersion$: Observable<number>;
  readonly products: ProductIndex;
  start(): Promise<void>;
  pair(input: PairInput): Promise<void>;
  /** Forgets the pairing (back to first-run setup). */
  unpair(): Promise<void>;
  login(userCode: string, password: string): Promise<SessionInfo>;
  logout(): Promise<void>;
  /** Uploads now; rejects with a CoreError (server_unreachable when the server does not answer). */
  sendNow(): Promise<void>;
  setLanguage(language: DeviceSettings['language']): Promise<void>;
  customers(): RxCollection<Customer> | null;
  /** The open local database (null before login); for diagnostics and development tools. */
  database(): BalcaoDatabase | null;
  canWrite(collection: CollectionName): boolean;
  saveCustomer(input: CustomerInput, id?: string): Promise<Customer>;
  /** An authenticated call to the server (monitor, integration errors, POS reports); rejects with a CoreError. */
  request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

/** What the UI shows before the sync engine reports, and after it stops. */
export const OFFLINE_SYNC_STATUS: SyncStatus = {
  online: false,
  pendingUploads: 0,
  lastSyncAt: null,
  lastError: null,
  initialSync: { done: false, pulled: 0 },
};

/** Who is signed in (no token: that is a bridge secret), so a reload reopens the session. */
const CURRENT_SESSION_KEY = 'balcao.current-session';
const HEARTBEAT_MS = 30_000;
/** The sync engine's first backoff step, ms, unless CoreOptions.syncRetryMs says otherwise. */
const SYNC_RETRY_MS = 1000;
/** How long a failed renewal of an offline session waits before the next try, in retry periods (10 s by default). */
const RENEW_RETRY_PERIODS = 10;
/** The engine's longest backoff, in retry periods (15 s by default, sync/client's own default). */
const MAX_RETRY_PERIODS = 15;

function newId(): string {
  return globalThis.crypto.randomUUID();
}

/** sync/client's ApiError as the CoreError the UI translates; anything else passes through. */
function toCoreError(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  const code =
    error.code === 'network'
      ? 'server_unreachable'
      : error.code === 'forbidden'
        ? 'forbidden'
        : error.code === 'unauthorized' || error.code === 'session_expired'
          ? 'session_expired'
          : error.status >= 500
            ? 'server_error'
            : 'unexpected';
  return new CoreError(code, error.message, { cause: error });
}

export interface CoreOptions {
  /** Where offline verifiers and the current session live; localStorage by default. */
  storage?: KeyValueStorage;
  /** Opens the local database; IndexedDB by default (tests pass a memory storage). */
  openDatabase?: (name: string, roles: readonly Role[]) => Promise<BalcaoDatabase>;
  /** The sync engine factory; sync/client's startSync by default. */
  startSync?: (options: SyncOptions) => SyncEngine | Promise<SyncEngine>;
  /** PBKDF2 iterations of the offline verifier; lower only in tests. */
  verifierIterations?: number;
  /**
   * The sync retry period, ms (default 1000): the engine's first backoff step; its longest wait is 15
   * periods (the live stream's reconnect at most 5 of them) and a failed renewal of an offline session
   * is tried again after 10. Lower only in end-to-end tests (the web host's `syncRetryMs`), so a server
   * restarted by a test is found within a fraction of a second instead of sitting out 5–15 s of backoff.
   */
  syncRetryMs?: number;
}

/** Whether two role lists name the same roles (order carries no meaning). */
function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');
}

export function createCore(bridge: BalcaoBridge, options: CoreOptions = {}): Core {
  const storage = options.storage ?? window.localStorage;
  const openDatabase = options.openDatabase ?? ((name: string, roles: readonly Role[]) => createDatabase(name, roles));
  const offlineLogins = new OfflineLoginStore(storage, options.verifierIterations);
  const syncRetryMs = options.syncRetryMs ?? SYNC_RETRY_MS;
  const renewRetryMs = RENEW_RETRY_PERIODS * syncRetryMs;
  const products = new ProductIndex();
  const productsVersion = new BehaviorSubject(0);
  const sync = new BehaviorSubject<SyncStatus>(OFFLINE_SYNC_STATUS);
  const state = new BehaviorSubject<CoreState>({
    phase: 'loading',
    settings: { ...DEFAULT_DEVICE_SETTINGS },
    session: null,
    loginNotice: null,
    syncUnavailable: false,
    storage: null,
    firstSync: false,
  });

  let db: BalcaoDatabase | null = null;
  let engine: SyncEngine | null = null;
  let token: string | null = null;
  let tabLock: TabLock | null = null;
  let subscriptions = new Subscription();
  /** Whether the running engine last said it was online (a reconnection is the edge to true). */
  let wasOnline = false;
  let databaseKey: string | null = null;
  let renewal: Promise<void> | null = null;
  let lastRenewAttempt = 0;
  /**
   * A session opened offline has no token: the server never saw that login. Until the server answers,
   * the password typed at that login stays here, in memory only (never in storage, gone at logout and
   * after a reload), so the session gets its token without asking the cashier again (POS-02).
   */
  let offlineCredentials: { userCode: string; password: string } | null = null;

  const patch = (next: Partial<CoreState>) => state.next({ ...state.value, ...next });

  async function checkStorage(): Promise<void> {
    const estimate = await estimateStorage();
    if (estimate && estimate.ratio >= STORAGE_WARNING_RATIO) {
      patch({ storage: { kind: 'nearly_full', usage: estimate.usage, quota: estimate.quota } });
    }
  }

  async function loadProductIndex(collection: RxCollection<Product>): Promise<void> {
    products.clear();
    // The device's catalogue storage keeps the compact catalogue current itself (issue 16): use it, no read.
    const kept = catalogueOf(collection.database.name);
    if (kept) {
      products.use(kept);
      subscriptions.add(collection.$.subscribe(() => productsVersion.next(products.version)));
      productsVersion.next(products.version);
      return;
    }
    // Subscribe before the full read so nothing written in between is missed; upserts are idempotent.
    subscriptions.add(
      collection.$.subscribe((event) => {
        if (event.operation === 'DELETE') products.remove(event.documentId);
        else products.upsert(event.documentData);
        productsVersion.next(products.version);
      }),
    );
    const docs = await collection.find().exec();
    for (const doc of docs) products.upsert(doc.toJSON() as Product);
    productsVersion.next(products.version);
  }

  async function openSession(session: SessionInfo): Promise<void> {
    const { settings } = state.value;
    if (!settings.serverUrl || !settings.storeCode) throw new CoreError('not_paired');
    subscriptions.unsubscribe();
    subscriptions = new Subscription();
    const name = databaseName(settings.serverUrl, settings.storeCode);
    tabLock ??= await acquireTabLock(name);
    if (!tabLock) throw new CoreError('open_in_another_tab');
    try {
      db ??= await openDatabase(name, session.user.roles);
      await addMissingCollections(db, session.user.roles);
    } catch (error) {
      if (isQuotaError(error)) patch({ storage: { kind: 'write_failed' } });
      throw new CoreError(isQuotaError(error) ? 'storage_full' : 'storage_failed', String(error), { cause: error });
    }
    const productsCollection = db.collections.products as RxCollection<Product> | undefined;
    if (productsCollection) await loadProductIndex(productsCollection);
    databaseKey = name;
    lastRenewAttempt = 0;
    patch({ phase: 'ready', session, loginNotice: null, firstSync: isFirstSyncPending(storage, name, products.size) });
    void requestPersistentStorage();
    void checkStorage();
    // Pulls keep writing while the user works; re-check the quota now and then, not only at login.
    subscriptions.add(interval(5 * 60_000).subscribe(() => void checkStorage()));
    // Without a token the engine never reaches the server, so it cannot say when it is back: ask now and then.
    if (session.offline) subscriptions.add(interval(renewRetryMs).subscribe(() => void renewOfflineSession()));
    await startEngine();
  }

  async function startEngine(): Promise<void> {
    const { settings, session } = state.value;
    if (!db || !settings.serverUrl || !session) return;
    const startSync = options.startSync ?? ((syncOptions: SyncOptions) => defaultStartSync({ ...syncOptions, maxRetryTime: MAX_RETRY_PERIODS * syncRetryMs }));
    try {
      engine = await startSync({
        serverUrl: settings.serverUrl,
        collections: db.collections,
        getToken: () => token,
        onUnauthorized: () => void expireSession(),
        retryTime: syncRetryMs,
      });
    } catch (error) {
      patch({ syncUnavailable: true });
      sync.next({ ...OFFLINE_SYNC_STATUS, lastError: String(error) });
      return;
    }
    patch({ syncUnavailable: false });
    subscriptions.add(
      engine.status$.subscribe((engineStatus) => {
        const status = awaitingServer() ? offlineSessionStatus(engineStatus) : engineStatus;
        sync.next(status);
        if (status.initialSync.done && state.value.firstSync && databaseKey) {
          markFirstSyncDone(storage, databaseKey);
          patch({ firstSync: false });
        }
        if (status.online) void renewOfflineSession();
        // Back online (a change of the user's roles closes the live stream, and the engine reconnects): the
        // menus and the device's collections follow the roles of the login, so new roles mean a new login.
        if (status.online && !wasOnline && token && !state.value.session?.offline) void checkRoles();
        wasOnline = status.online;
        const tray = status.lastError ? 'error' : !status.online ? 'offline' : status.pendingUploads > 0 ? 'pending' : 'online';
        void bridge.setSyncState(tray, status.pendingUploads);
      }),
    );
    if (settings.stationId) startHeartbeat(settings.serverUrl);
  }

  /**
   * Asks the server who the session's user is now; when their roles differ from the login's, the session
   * ends with the roles-changed notice, and the next login opens the device with the new roles (its
   * collections and menus). Nothing is lost: local writes wait in the database for the next session. An
   * unreachable server changes nothing (the next reconnection asks again).
   */
  async function checkRoles(): Promise<void> {
    const { session, settings } = state.value;
    if (!session || !settings.serverUrl) return;
    let now: Awaited<ReturnType<ReturnType<typeof serverApi>['me']>>;
    try {
      now = await serverApi(settings.serverUrl, () => token).me();
    } catch {
      return;
    }
    // Logged out or another user meanwhile: the answer is about a session that is gone.
    if (state.value.session !== session || now.user.id !== session.user.id) return;
    if (sameRoles(now.user.roles, session.user.roles)) return;
    await expireSession('roles_changed');
  }

  /** An offline session that has no token yet (see offlineCredentials). */
  function awaitingServer(): boolean {
    return token === null && !!state.value.session?.offline;
  }

  /**
   * Without a token the engine sends nothing and only reports "not logged in"; for an offline session
   * that means "the server has not been reached yet", which is what the header says.
   */
  function offlineSessionStatus(status: SyncStatus): SyncStatus {
    if (!status.lastError) return { ...status, online: false };
    return { ...status, online: false, lastError: `Signed in offline: the server ${state.value.settings.serverUrl ?? ''} has not answered yet. You can keep working; changes upload once it does.` };
  }

  /** The admin monitor (POS-13) sees each station's waiting uploads, version and last error. */
  function startHeartbeat(serverUrl: string): void {
    const api = serverApi(serverUrl, () => token);
    const beat = async () => {
      if (!token) return;
      try {
        const status = sync.value;
        const { version } = await bridge.appInfo();
        await api.heartbeat({ pendingUploads: status.pendingUploads, appVersion: version, lastError: status.lastError });
      } catch {
        // Offline the beat fails; the monitor then shows the last contact, which is the point.
      }
    };
    subscriptions.add(interval(HEARTBEAT_MS).pipe(startWith(0)).subscribe(() => void beat()));
  }

  async function stopEngine(): Promise<void> {
    wasOnline = false;
    subscriptions.unsubscribe();
    subscriptions = new Subscription();
    const running = engine;
    engine = null;
    sync.next(OFFLINE_SYNC_STATUS);
    if (running) await running.stop();
  }

  /**
   * A session opened offline becomes a normal one as soon as the server answers: it logs in with the
   * password kept in memory and gets its token (or, for a session that has a token, the server
   * confirms it). Refused credentials or a refused token send the user to login with the
   * session-expired notice; anything else is tried again after renewRetryMs.
   */
  function renewOfflineSession(): Promise<void> {
    const { session, settings } = state.value;
    if (renewal) return renewal;
    if (!session?.offline || !settings.serverUrl || !settings.storeCode || Date.now() - lastRenewAttempt < renewRetryMs) return Promise.resolve();
    lastRenewAttempt = Date.now();
    const serverUrl = settings.serverUrl;
    const storeCode = settings.storeCode;
    renewal = (async () => {
      const credentials = offlineCredentials;
      try {
        const api = serverApi(serverUrl, () => token);
        let confirmed: OfflineProfile;
        let newToken: string | null = null;
        if (token) {
          confirmed = { ...(await api.me()), expiresAt: session.expiresAt };
        } else if (credentials) {
          const response = await api.login({
            storeCode,
            userCode: credentials.userCode,
            password: credentials.password,
            stationId: settings.stationId ?? undefined,
            deviceKey: (await bridge.getSecret('deviceKey')) ?? undefined,
          });
          confirmed = response;
          newToken = response.token;
        } else {
          // Nothing to renew with (cannot happen through login()): the user signs in again.
          await expireSession();
          return;
        }
        const current = state.value.session;
        // Logged out or another user meanwhile: this answer is about a session that is gone.
        if (!current?.offline || current.user.id !== confirmed.user.id || offlineCredentials !== credentials) return;
        // The device was opened with the roles the user had offline: other roles need a new login (checkRoles).
        if (!sameRoles(confirmed.user.roles, current.user.roles)) {
          await expireSession('roles_changed');
          return;
        }
        if (newToken) {
          token = newToken;
          offlineCredentials = null;
          await bridge.setSecret('sessionToken', newToken);
          if (credentials) await offlineLogins.remember(serverUrl, storeCode, credentials.userCode, credentials.password, confirmed).catch(() => undefined);
        }
        const renewed: SessionInfo = { ...current, user: confirmed.user, store: confirmed.store, offline: false, expiresAt: confirmed.expiresAt };
        storage.setItem(CURRENT_SESSION_KEY, JSON.stringify(renewed));
        lastRenewAttempt = 0;
        patch({ session: renewed });
      } catch (error) {
        const code = error instanceof CoreError ? error.code : null;
        if (code === 'invalid_credentials' && credentials) offlineLogins.forget(serverUrl, storeCode, credentials.userCode);
        // The password changed or the station was paired again elsewhere: this session cannot go on.
        if (code === 'session_expired' || code === 'invalid_credentials' || code === 'invalid_pairing') await expireSession();
        // Anything else (server down or busy): the next try comes after renewRetryMs.
      } finally {
        renewal = null;
      }
    })();
    return renewal;
  }

  /**
   * Any server call needs the token: an offline session without one tries to get it first (at once
   * when the user asked, e.g. send now; else no more often than the renewal timer does).
   */
  async function ensureToken(userAsked: boolean): Promise<void> {
    if (!awaitingServer()) return;
    if (userAsked) lastRenewAttempt = 0;
    await renewOfflineSession();
    if (awaitingServer()) throw new CoreError('server_unreachable', `Server ${state.value.settings.serverUrl ?? ''} is unreachable. You can keep working offline.`);
  }

  /** The server refused the token (expired, revoked): local data stays, the user logs in again. */
  async function expireSession(notice: 'session_expired' | 'roles_changed' = 'session_expired'): Promise<void> {
    await stopEngine();
    token = null;
    offlineCredentials = null;
    await bridge.setSecret('sessionToken', null);
    storage.removeItem(CURRENT_SESSION_KEY);
    patch({ phase: 'login', session: null, loginNotice: notice });
  }

  /** Who opened or closed a session on which station (POS-16); never blocks the login itself. */
  async function auditSession(action: 'login' | 'logout', session: SessionInfo): Promise<void> {
    const stationId = state.value.settings.stationId;
    if (!db || !stationId) return;
    try {
      await writeAudit(db, { userId: session.user.id, stationId, action, detail: JSON.stringify({ offline: session.offline }) });
    } catch {
      // A full disk shows through the storage banner; the session itself must still open or close.
    }
  }

  function toSessionInfo(response: OfflineProfile, offline: boolean): SessionInfo {
    return { user: response.user, store: response.store, offline, expiresAt: response.expiresAt };
  }

  const core: Core = {
    state$: state.asObservable(),
    get state() {
      return state.value;
    },
    sync$: sync.asObservable(),
    productsVersion$: productsVersion.pipe(auditTime(120)),
    products,

    async start() {
      // Earlier versions kept each user's token in the offline-login records: clean them before anything else.
      offlineLogins.scrubTokens();
      const settings = await bridge.getSettings();
      patch({ settings });
      if (!settings.serverUrl || !settings.stationId || !settings.storeCode) {
        patch({ phase: 'setup' });
        return;
      }
      // The session reopens when the bridge still holds its token (Electron keeps it sealed across
      // restarts; the browser bridge holds it in the page's memory, so a reload asks to sign in again).
      const saved = storage.getItem(CURRENT_SESSION_KEY);
      token = await bridge.getSecret('sessionToken');
      if (saved && !token) storage.removeItem(CURRENT_SESSION_KEY);
      if (saved && token) {
        try {
          await openSession(JSON.parse(saved) as SessionInfo);
          return;
        } catch (error) {
          // Fall through to the login screen, saying why when the user can act on it.
          if (error instanceof CoreError && error.code === 'open_in_another_tab') {
            patch({ phase: 'login', loginNotice: 'open_in_another_tab' });
            return;
          }
        }
      }
      patch({ phase: 'login' });
    },

    async pair(input) {
      const serverUrl = normalizeServerUrl(input.serverUrl);
      const response = await serverApi(serverUrl).pair({
        storeCode: input.storeCode.trim(),
        stationCode: input.stationCode.trim(),
        pairingCode: input.pairingCode.trim(),
      });
      await bridge.setSecret('deviceKey', response.deviceKey);
      const settings = await bridge.setSettings({
        serverUrl,
        stationId: response.stationId,
        stationCode: response.stationCode,
        stationName: response.stationName,
        storeCode: response.store.code,
        storeName: response.store.name,
      });
      patch({ settings, phase: 'login' });
    },

    async unpair() {
      await core.logout();
      if (db) await db.close();
      db = null;
      await bridge.setSecret('deviceKey', null);
      const settings = await bridge.setSettings({ serverUrl: null, stationId: null, stationCode: null, stationName: null, storeCode: null, storeName: null });
      patch({ settings, phase: 'setup' });
    },

    async login(userCode, password) {
      const { settings } = state.value;
      if (!settings.serverUrl || !settings.storeCode) throw new CoreError('not_paired');
      const serverUrl = settings.serverUrl;
      const storeCode = settings.storeCode;
      const code = userCode.trim();
      let session: SessionInfo;
      try {
        const response = await serverApi(serverUrl).login({
          storeCode,
          userCode: code,
          password,
          stationId: settings.stationId ?? undefined,
          deviceKey: (await bridge.getSecret('deviceKey')) ?? undefined,
        });
        token = response.token;
        offlineCredentials = null;
        await bridge.setSecret('sessionToken', response.token);
        try {
          // The verifier and who the user is; the token stays with the bridge only.
          await offlineLogins.remember(serverUrl, storeCode, code, password, response);
        } catch {
          // No WebCrypto (plain http on a LAN address): online login still works, offline login will not.
        }
        session = toSessionInfo(response, false);
      } catch (error) {
        if (error instanceof CoreError && error.code === 'invalid_credentials') offlineLogins.forget(serverUrl, storeCode, code);
        if (!(error instanceof CoreError) || error.code !== 'server_unreachable') throw error;
        let result;
        try {
          result = await offlineLogins.verify(serverUrl, storeCode, code, password);
        } catch (cause) {
          throw new CoreError('crypto_unavailable', String(cause), { cause });
        }
        if (!result.ok) throw new CoreError(result.reason === 'wrong_password' ? 'offline_wrong_password' : 'offline_never_logged_in');
        // The server has not seen this login, so there is no token until it answers (renewOfflineSession).
        token = null;
        await bridge.setSecret('sessionToken', null);
        offlineCredentials = { userCode: code, password };
        session = toSessionInfo(result.record.session, true);
      }
      storage.setItem(CURRENT_SESSION_KEY, JSON.stringify(session));
      await openSession(session);
      await auditSession('login', session);
      return session;
    },

    async logout() {
      if (state.value.session) await auditSession('logout', state.value.session);
      await stopEngine();
      // Revoke the token on the server too; offline (or a failing server) must not hold the logout up.
      const ending = token;
      if (ending && state.value.settings.serverUrl) void serverApi(state.value.settings.serverUrl, () => ending).logout().catch(() => undefined);
      offlineCredentials = null;
      token = null;
      await bridge.setSecret('sessionToken', null);
      storage.removeItem(CURRENT_SESSION_KEY);
      products.clear();
      productsVersion.next(products.version);
      // Close so the next user's roles decide the collections.
      if (db) await db.close();
      db = null;
      tabLock?.release();
      tabLock = null;
      if (state.value.phase !== 'setup') patch({ phase: 'login', session: null, loginNotice: null });
    },

    async sendNow() {
      // The header disables the button when sync is unavailable; this only guards a race with logout.
      if (!engine) throw new CoreError('unexpected', 'The sync engine is not running.');
      await ensureToken(true);
      try {
        await engine.sendNow();
      } catch (error) {
        throw toCoreError(error);
      }
    },

    async setLanguage(language) {
      const settings = await bridge.setSettings({ language });
      patch({ settings });
    },

    customers() {
      return (db?.collections.customers as RxCollection<Customer> | undefined) ?? null;
    },

    database() {
      return db;
    },

    canWrite(collection) {
      const session = state.value.session;
      return !!session && canWrite(collection, session.user.roles);
    },

    async saveCustomer(input, id) {
      const collection = core.customers();
      if (!collection) throw new CoreError('not_paired');
      if (!core.canWrite('customers')) throw new CoreError('forbidden');
      const previous = id ? ((await collection.findOne(id).exec())?.toJSON() as Customer | undefined) : undefined;
      const kept: Partial<Customer> = {};
      for (const field of KEPT_CUSTOMER_FIELDS) if (previous?.[field] !== undefined) Object.assign(kept, { [field]: previous[field] });
      // A form that does not offer deactivation (the till's) keeps the customer as it is: only the back office deactivates or reactivates (BO-01).
      const active = input.active ?? previous?.active ?? true;
      const now = new Date().toISOString();
      // Letters stay: the alphanumeric CNPJ (July 2026) has them.
      const taxId = normalizeTaxId(input.taxId) ?? input.taxId.trim();
      const doc: Customer = {
        ...(active ? {} : kept),
        ...(input.cep?.trim() || kept.cep ? { cep: normalizeCep(input.cep ?? kept.cep ?? '') ?? (input.cep ?? kept.cep ?? '').trim() } : {}),
        ...(input.uf || kept.uf ? { uf: input.uf ?? kept.uf } : {}),
        ...(input.address?.trim() || kept.address ? { address: input.address?.trim() || kept.address } : {}),
        ...(!active && input.deactivationReason?.trim() ? { deactivationReason: input.deactivationReason.trim(), deactivatedAt: now, ...(state.value.session ? { deactivatedBy: state.value.session.user.id } : {}) } : {}),
        id: id ?? newId(),
        name: input.name.trim(),
        taxId,
        active,
        updatedAt: now,
        ...(input.email?.trim() ? { email: normalizeEmail(input.email) ?? input.email.trim() } : {}),
        ...(input.phone?.trim() ? { phone: normalizePhone(input.phone) ?? input.phone.trim() } : {}),
        ...(input.city?.trim() ? { city: input.city.trim() } : {}),
      };
      try {
        // incrementalUpsert replaces the document, so a cleared optional field is really removed.
        await collection.incrementalUpsert(doc);
      } catch (error) {
        if (isQuotaError(error)) {
          patch({ storage: { kind: 'write_failed' } });
          throw new CoreError('storage_full', String(error), { cause: error });
        }
        throw new CoreError('storage_failed', String(error), { cause: error });
      }
      return doc;
    },

    async request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
      const serverUrl = state.value.settings.serverUrl;
      if (!serverUrl) throw new CoreError('not_paired');
      await ensureToken(false);
      try {
        return await requestJson<T>({ serverUrl, getToken: () => token, fetchImpl: (...args) => fetch(...args), onUnauthorized: () => void expireSession() }, method, path, body, AbortSignal.timeout(10_000));
      } catch (error) {
        throw toCoreError(error);
      }
    },
  };
  return core;
}
