import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNELS } from '../../electron/channels.ts';
import { CONTENT_SECURITY_POLICY } from '../../electron/csp.ts';

/**
 * The main process wired against a stand-in for the Electron runtime (the true edge here: the
 * binary cannot run on this machine). It checks what main.ts asks of Electron, not Electron itself.
 */
interface FakeWebContents {
  loading: boolean;
  sent: [string, unknown][];
  onFinishLoad: (() => void) | null;
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
    quit: 0,
    stores: new Map<string, Record<string, unknown>>(),
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
      isPackaged: false,
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
    Menu: { buildFromTemplate: (template: unknown) => template },
    nativeImage: { createFromBitmap: (buffer: Buffer, size: unknown) => ({ buffer, size }) },
    Notification: Object.assign(class {}, { isSupported: () => false }),
    safeStorage: {
      isEncryptionAvailable: () => fake.encryption,
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
      this.data = { ...options.defaults };
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
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
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

  it('keeps the session token encrypted at rest through safeStorage', async () => {
    await invoke(CHANNELS.setSecret, appFrame, 'sessionToken', 'tok-123');
    expect(JSON.stringify(fake.stores.get('secrets'))).not.toContain('tok-123');
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
