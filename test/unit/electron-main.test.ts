import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNELS } from '../../electron/channels.ts';
import { contentSecurityPolicy } from '../../electron/csp.ts';

/**
 * The main process wired against a stand-in for the Electron runtime (the true edge here: the
 * binary cannot run on this machine). It checks what main.ts asks of Electron, not Electron itself.
 */
interface FakeWebContents {
  loading: boolean;
  sent: [string, unknown][];
  onFinishLoad: (() => void) | null;
  reloads: number;
}

const fake = vi.hoisted(() => {
  const state = {
    lock: true,
    ready: null as null | (() => void),
    privileged: [] as unknown[],
    protocolHandler: null as null | ((request: Request) => Promise<Response>),
    handlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
    appEvents: new Map<string, (...args: unknown[]) => void>(),
    windows: [] as { options: { webPreferences: Record<string, unknown> }; url: string; webContents: FakeWebContents }[],
    requestHandler: null as null | ((contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string }) => void),
    checkHandler: null as null | ((contents: unknown, permission: string, origin: string) => boolean),
    opened: [] as string[],
    tray: { image: null as unknown, tooltip: '' },
    encryption: true,
    /** What safeStorage.getSelectedStorageBackend() answers (Linux). */
    backend: 'gnome_libsecret',
    packaged: false,
    menu: null as unknown,
    quit: 0,
    stores: new Map<string, Record<string, unknown>>(),
    /** What an electron-store file already holds when the app opens it (an earlier version's profile). */
    onDisk: new Map<string, Record<string, unknown>>(),
  };
  return state;
});

vi.mock('electron', () => {
  class BrowserWindow {
    url = '';
    webContents = {
      loading: true,
      sent: [] as [string, unknown][],
      onFinishLoad: null as (() => void) | null,
      reloads: 0,
      reload() {
        this.reloads++;
      },
      once(event: string, listener: () => void) {
        if (event === 'did-finish-load') this.onFinishLoad = listener;
      },
      isLoading() {
        return this.loading;
      },
      send(channel: string, payload: unknown) {
        this.sent.push([channel, payload]);
      },
    };
    constructor(public options: { webPreferences: Record<string, unknown> }) {
      fake.windows.push(this);
    }
    once() {}
    isDestroyed() { return false; }
    isMinimized() { return false; }
    restore() {}
    show() {}
    focus() {}
    async loadURL(url: string) { this.url = url; }
  }
  class Tray {
    constructor(image: unknown) { fake.tray.image = image; }
    setToolTip(text: string) { fake.tray.tooltip = text; }
    setImage(image: unknown) { fake.tray.image = image; }
    setContextMenu() {}
    on() {}
    destroy() {}
  }
  const electron = {
    app: {
      setPath: vi.fn(),
      requestSingleInstanceLock: () => fake.lock,
      quit: () => { fake.quit++; },
      on: (event: string, listener: (...args: unknown[]) => void) => { fake.appEvents.set(event, listener); },
      whenReady: () => new Promise<void>((resolve) => { fake.ready = resolve; }),
      get isPackaged() { return fake.packaged; },
      getVersion: () => '9.9.9',
      getPath: () => '/tmp',
      setAsDefaultProtocolClient: vi.fn(),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => fake.privileged.push(...schemes),
      handle: (_scheme: string, handler: (request: Request) => Promise<Response>) => { fake.protocolHandler = handler; },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: typeof fake.requestHandler) => { fake.requestHandler = handler; },
        setPermissionCheckHandler: (handler: typeof fake.checkHandler) => { fake.checkHandler = handler; },
      },
    },
    shell: { openExternal: async (url: string) => { fake.opened.push(url); } },
    ipcMain: { handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => fake.handlers.set(channel, handler) },
    BrowserWindow,
    Tray,
    Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: (menu: unknown) => { fake.menu = menu; } },
    nativeImage: { createFromBitmap: (buffer: Buffer, size: unknown) => ({ buffer, size }) },
    Notification: Object.assign(class {}, { isSupported: () => false }),
    safeStorage: {
      isEncryptionAvailable: () => fake.encryption,
      getSelectedStorageBackend: () => fake.backend,
      encryptString: (text: string) => Buffer.from(`sealed:${[...text].reverse().join('')}`),
      decryptString: (buffer: Buffer) => [...buffer.toString().replace(/^sealed:/, '')].reverse().join(''),
    },
  };
  return { ...electron, default: electron };
});

// electron-store writes JSON files under Electron's profile folder; an in-memory store stands in.
vi.mock('electron-store', () => ({
  default: class {
    data: Record<string, unknown>;
    constructor(options: { name: string; defaults?: Record<string, unknown> }) {
      this.data = { ...options.defaults, ...fake.onDisk.get(options.name) };
      fake.stores.set(options.name, this.data);
    }
    get store() { return { ...this.data }; }
    get(key: string) { return this.data[key]; }
    set(key: string | Record<string, unknown>, value?: unknown) {
      if (typeof key === 'string') this.data[key] = value;
      else Object.assign(this.data, key);
    }
    delete(key: string) { delete this.data[key]; }
  },
}));

const appFrame = { senderFrame: { url: 'app://balcao/index.html', parent: null } };
const foreignFrame = { senderFrame: { url: 'https://evil.example/', parent: null } };
const invoke = (channel: string, event: unknown, ...args: unknown[]) => {
  const handler = fake.handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return handler(event, ...args);
};

describe('Electron main process wiring', () => {
  let rendererDir = '';

  beforeAll(async () => {
    rendererDir = mkdtempSync(join(tmpdir(), 'balcao-renderer-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Balcão</title>');
    vi.stubEnv('BALCAO_RENDERER_DIR', rendererDir);
    vi.stubEnv('BALCAO_SERVER_URL', 'http://127.0.0.1:4010');
    await import('../../electron/main.ts');
    expect(fake.protocolHandler).toBeNull(); // nothing touches the protocol or windows before ready
    fake.ready?.();
    await vi.waitFor(() => expect(fake.windows.length).toBe(1));
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    rmSync(rendererDir, { recursive: true, force: true });
  });

  it('registers app:// as a standard secure scheme before the app is ready', () => {
    expect(fake.privileged).toEqual([expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
  });

  it('opens one hardened window on the app page with the preload bundle', () => {
    const [window] = fake.windows;
    expect(window?.url).toBe('app://balcao/index.html');
    expect(window?.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(String(window?.options.webPreferences.preload)).toMatch(/preload\.cjs$/);
  });

  it('serves the built UI over app:// with the CSP header, and nothing outside it', async () => {
    const handler = fake.protocolHandler!;
    const page = await handler(new Request('app://balcao/index.html'));
    expect(page.status).toBe(200);
    // Not paired yet: the setup screen must reach whatever address is typed in.
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy(null));
    expect(await page.text()).toContain('Balcão');
    expect((await handler(new Request('app://balcao/%2e%2e%2fsecret.js'))).status).toBe(404);
    expect((await handler(new Request('app://other/index.html'))).status).toBe(404);
  });

  it('answers the bridge for the app page and refuses any other sender', async () => {
    const settings = (await invoke(CHANNELS.getSettings, appFrame)) as Record<string, unknown>;
    expect(settings).toMatchObject({ serverUrl: 'http://127.0.0.1:4010', language: 'pt-BR', stationId: null });
    expect(() => invoke(CHANNELS.getSettings, foreignFrame)).toThrow(/Refused/);
    expect(() => invoke(CHANNELS.getSettings, { senderFrame: null })).toThrow(/Refused/);
    expect(() => invoke(CHANNELS.getSettings, { senderFrame: { url: 'app://balcao/index.html', parent: {} } })).toThrow(/Refused/);
  });

  it('stores only valid settings', async () => {
    const next = (await invoke(CHANNELS.setSettings, appFrame, { storeCode: 'loja1', language: 'en', injected: 'x' })) as Record<string, unknown>;
    expect(next).toMatchObject({ storeCode: 'loja1', language: 'en' });
    expect(next).not.toHaveProperty('injected');
    expect(() => invoke(CHANNELS.setSettings, appFrame, { language: 'xx' })).toThrow();
  });

  // What safeStorage does is the OS's part (faked here); that nothing else in the profile holds the
  // token — localStorage, IndexedDB, settings — is proven end to end in test/e2e/session-secrets.test.ts.
  it('hands the session token to safeStorage: the secrets file holds only its ciphertext, the settings file nothing of it', async () => {
    await invoke(CHANNELS.setSecret, appFrame, 'sessionToken', 'tok-123');
    expect(fake.stores.get('secrets')).toEqual({ sessionToken: Buffer.from('sealed:321-kot').toString('base64') });
    expect(JSON.stringify([...fake.stores.values()])).not.toContain('tok-123');
    expect(await invoke(CHANNELS.getSecret, appFrame, 'sessionToken')).toBe('tok-123');
    await invoke(CHANNELS.setSecret, appFrame, 'sessionToken', null);
    expect(await invoke(CHANNELS.getSecret, appFrame, 'sessionToken')).toBeNull();
    expect(() => invoke(CHANNELS.getSecret, appFrame, 'password')).toThrow(/unknown secret/);
  });

  it('keeps secrets in memory only when the OS cannot encrypt', async () => {
    fake.encryption = false;
    try {
      await invoke(CHANNELS.setSecret, appFrame, 'deviceKey', 'dk-1');
      expect(JSON.stringify(fake.stores.get('secrets'))).not.toContain('dk-1');
      expect(await invoke(CHANNELS.getSecret, appFrame, 'deviceKey')).toBe('dk-1');
    } finally {
      fake.encryption = true;
    }
  });

  it.runIf(process.platform === 'linux')("keeps secrets in memory only on Linux's basic_text backend, which is no encryption", async () => {
    fake.backend = 'basic_text';
    try {
      await invoke(CHANNELS.setSecret, appFrame, 'deviceKey', 'dk-2');
      expect(JSON.stringify(fake.stores.get('secrets'))).not.toContain(Buffer.from('sealed:2-kd').toString('base64'));
      expect(JSON.stringify(fake.stores.get('secrets'))).not.toContain('dk-2');
      expect(await invoke(CHANNELS.getSecret, appFrame, 'deviceKey')).toBe('dk-2');
    } finally {
      fake.backend = 'gnome_libsecret';
    }
  });

  it("pairing reloads the page, whose policy then names the paired server only; other settings don't reload", async () => {
    const contents = fake.windows[0]!.webContents;
    const policy = async () => (await fake.protocolHandler!(new Request('app://balcao/index.html'))).headers.get('content-security-policy');
    const reloads = contents.reloads;
    await invoke(CHANNELS.setSettings, appFrame, { serverUrl: 'http://127.0.0.1:4010', stationId: 'loja1-cx01' });
    await vi.waitFor(() => expect(contents.reloads).toBe(reloads + 1));
    expect(await policy()).toBe(contentSecurityPolicy(['http://127.0.0.1:4010']));
    expect(await policy()).toMatch(/connect-src 'self' http:\/\/127\.0\.0\.1:4010 http:\/\/localhost:4010($|;)/);

    await invoke(CHANNELS.setSettings, appFrame, { storeName: 'Loja Centro' });
    await invoke(CHANNELS.setSettings, appFrame, { serverUrl: null, stationId: null });
    await vi.waitFor(() => expect(contents.reloads).toBe(reloads + 2));
    expect(await policy()).toBe(contentSecurityPolicy(null));
  });

  it('mirrors the sync state in the tray and reports the app info', async () => {
    await invoke(CHANNELS.setSyncState, appFrame, 'pending', 4);
    expect(fake.tray.tooltip).toBe('Balcão — Uploading (4 waiting to upload)'); // language was set to en above
    expect(await invoke(CHANNELS.appInfo, appFrame)).toEqual({ version: '9.9.9', host: 'electron', platform: process.platform });
  });

  it('opens the design software only through http(s)', async () => {
    await invoke(CHANNELS.openDesignSoftware, appFrame, 'https://design.example/p/1');
    expect(fake.opened).toContain('https://design.example/p/1');
    expect(() => invoke(CHANNELS.openDesignSoftware, appFrame, 'file:///bin/sh')).toThrow();
  });

  it('denies every web permission but notifications for the app', () => {
    const decide = (permission: string, url: string) => {
      let granted: boolean | null = null;
      fake.requestHandler!(null, permission, (value) => (granted = value), { requestingUrl: url });
      return granted;
    };
    expect(decide('notifications', 'app://balcao/index.html')).toBe(true);
    expect(decide('media', 'app://balcao/index.html')).toBe(false);
    expect(decide('notifications', 'https://evil.example/')).toBe(false);
    expect(fake.checkHandler!(null, 'geolocation', 'app://balcao')).toBe(false);
  });

  it('blocks navigation and new windows that leave the app', () => {
    const contents = Object.assign(new EventEmitter(), {
      openHandler: null as null | ((details: { url: string }) => { action: string }),
      setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) { this.openHandler = handler; },
    });
    fake.appEvents.get('web-contents-created')!({}, contents);
    const navigate = (url: string) => {
      const event = { url, preventDefault: vi.fn() };
      contents.emit('will-navigate', event);
      return event.preventDefault.mock.calls.length === 0;
    };
    expect(navigate('app://balcao/index.html#/x')).toBe(true);
    expect(navigate('https://evil.example/')).toBe(false);
    expect(contents.openHandler!({ url: 'https://docs.example/' })).toEqual({ action: 'deny' });
    expect(fake.opened).toContain('https://docs.example/');
    expect(contents.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(fake.opened).not.toContain('file:///etc/passwd');
  });
});

describe('single instance', () => {
  it('DES-06 a balcao://design link from the OS reaches the page once it has loaded; other links only focus the window', () => {
    const contents = fake.windows[0]!.webContents;
    fake.appEvents.get('second-instance')!({}, ['balcao', 'balcao://design/environments/env-1']);
    expect(contents.sent).toEqual([]);
    contents.loading = false;
    contents.onFinishLoad?.();
    expect(contents.sent).toEqual([[CHANNELS.onOpenLink, 'balcao://design/environments/env-1']]);
    fake.appEvents.get('second-instance')!({}, ['balcao', 'balcao://settings/reset']);
    fake.appEvents.get('open-url')!({ preventDefault() {} }, 'balcao://design/projects/p-1/review');
    expect(contents.sent).toEqual([
      [CHANNELS.onOpenLink, 'balcao://design/environments/env-1'],
      [CHANNELS.onOpenLink, 'balcao://design/projects/p-1/review'],
    ]);
  });

  it('a second start quits at once and opens no window of its own', async () => {
    vi.resetModules();
    fake.lock = false;
    const windowsBefore = fake.windows.length;
    const privilegedBefore = fake.privileged.length;
    await import('../../electron/main.ts');
    expect(fake.quit).toBe(1);
    expect(fake.privileged.length).toBe(privilegedBefore);
    expect(fake.windows.length).toBe(windowsBefore);
  });
});

describe('installed (packaged) app', () => {
  let overrideDir = '';

  beforeAll(async () => {
    vi.resetModules();
    fake.lock = true;
    fake.packaged = true;
    fake.windows.length = 0;
    fake.backend = 'basic_text';
    // An earlier version sealed the session token with basic_text: as good as clear text on disk.
    fake.onDisk.set('secrets', { sessionToken: Buffer.from('sealed:dlo-kot').toString('base64') });
    overrideDir = mkdtempSync(join(tmpdir(), 'balcao-override-'));
    writeFileSync(join(overrideDir, 'only-in-override.html'), 'injected');
    vi.stubEnv('BALCAO_RENDERER_DIR', overrideDir);
    vi.stubEnv('BALCAO_USER_DATA_DIR', join(overrideDir, 'profile'));
    vi.stubEnv('BALCAO_SERVER_URL', 'http://127.0.0.1:4010');
    const setPath = (await import('electron')).app.setPath as ReturnType<typeof vi.fn>;
    setPath.mockClear();
    await import('../../electron/main.ts');
    fake.ready?.();
    await vi.waitFor(() => expect(fake.windows.length).toBe(1));
  });
  afterAll(() => {
    fake.packaged = false;
    fake.backend = 'gnome_libsecret';
    fake.onDisk.clear();
    vi.unstubAllEnvs();
    rmSync(overrideDir, { recursive: true, force: true });
  });

  it('opens its window without developer tools and replaces the menu with one that has neither reload nor developer tools', () => {
    expect(fake.windows[0]!.options.webPreferences).toMatchObject({ devTools: false, contextIsolation: true, sandbox: true });
    const roles = (fake.menu as { role?: string }[]).map((item) => item.role);
    expect(roles).toEqual(process.platform === 'darwin' ? ['appMenu', 'editMenu', 'windowMenu'] : ['editMenu', 'windowMenu']);
  });

  it('closes developer tools that open anyway', () => {
    const contents = Object.assign(new EventEmitter(), { closeDevTools: vi.fn(), setWindowOpenHandler() {} });
    fake.appEvents.get('web-contents-created')!({}, contents);
    contents.emit('devtools-opened');
    expect(contents.closeDevTools).toHaveBeenCalledTimes(1);
  });

  it('ignores BALCAO_RENDERER_DIR, BALCAO_USER_DATA_DIR and BALCAO_SERVER_URL', async () => {
    const { app } = await import('electron');
    expect(app.setPath).not.toHaveBeenCalled();
    expect((await fake.protocolHandler!(new Request('app://balcao/only-in-override.html'))).status).toBe(404);
    expect(await invoke(CHANNELS.getSettings, appFrame)).toMatchObject({ serverUrl: null });
  });

  it.runIf(process.platform === 'linux')('moves a secret an earlier version sealed with basic_text off the disk and into memory', async () => {
    expect(fake.stores.get('secrets')).toEqual({});
    expect(await invoke(CHANNELS.getSecret, appFrame, 'sessionToken')).toBe('tok-old');
  });
});
