import { describe, expect, it } from 'vitest';
import { resolve, sep } from 'node:path';
import { APP_ENTRY_URL, isAppUrl, isExternalWebUrl } from '../../electron/app-url.ts';
import { resolveAppFile } from '../../electron/app-files.ts';
import { contentSecurityPolicy, pairedServers } from '../../electron/csp.ts';
import { parseDesignSoftwareUrl, parseNotification, parseSyncState } from '../../electron/ipc-input.ts';
import {
  applicationMenuTemplate,
  encryptionIsReal,
  isTrustedSender,
  mayGrantPermission,
  mayNavigate,
  secureWebPreferences,
  shellOverrides,
} from '../../electron/security-policy.ts';
import { parseServerAddress } from '../../renderer/bridge/types.ts';
import { isSecretName, sanitizeSecretValue, sanitizeSettingsPatch } from '../../electron/settings-input.ts';

describe('Electron security policy', () => {
  it('isolates the page: context isolation, sandbox, no Node, no webview', () => {
    const prefs = secureWebPreferences('/app/preload.cjs', true);
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('an installed app has no developer tools and a menu without reload or developer tools; development keeps them', () => {
    expect(secureWebPreferences('/p', true).devTools).toBe(false);
    expect(secureWebPreferences('/p', false).devTools).toBe(true);
    expect(applicationMenuTemplate('linux', false)).toBeNull();
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const roles = applicationMenuTemplate(platform, true)!.map((item) => item.role);
      expect(roles, platform).toEqual(platform === 'darwin' ? ['appMenu', 'editMenu', 'windowMenu'] : ['editMenu', 'windowMenu']);
    }
  });

  it('an installed app ignores the environment overrides; development and tests use them', () => {
    const env = { BALCAO_RENDERER_DIR: '/tmp/other-ui', BALCAO_USER_DATA_DIR: '/tmp/other-profile', BALCAO_SERVER_URL: 'http://127.0.0.1:4010' };
    expect(shellOverrides(env, true)).toEqual({ rendererDir: null, userDataDir: null, serverUrl: null });
    expect(shellOverrides(env, false)).toEqual({ rendererDir: '/tmp/other-ui', userDataDir: '/tmp/other-profile', serverUrl: 'http://127.0.0.1:4010' });
    expect(shellOverrides({}, false)).toEqual({ rendererDir: null, userDataDir: null, serverUrl: null });
  });

  it("treats Linux's basic_text safeStorage backend (and an unknown one) as no encryption", () => {
    expect(encryptionIsReal('linux', true, 'basic_text')).toBe(false);
    expect(encryptionIsReal('linux', true, 'unknown')).toBe(false);
    expect(encryptionIsReal('linux', true, 'gnome_libsecret')).toBe(true);
    expect(encryptionIsReal('linux', true, 'kwallet5')).toBe(true);
    expect(encryptionIsReal('linux', false, 'gnome_libsecret')).toBe(false);
    expect(encryptionIsReal('win32', true, undefined)).toBe(true);
    expect(encryptionIsReal('darwin', false, undefined)).toBe(false);
  });

  it('recognises only the app origin as the app', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://balcao')).toBe(true);
    expect(isAppUrl('app://balcao/assets/index.js?x=1#y')).toBe(true);
    for (const url of ['app://balcao.evil/', 'app://evil/balcao', 'https://balcao/', 'file:///balcao/index.html', 'app://user:pw@balcao/', 'not a url', '', null, undefined]) {
      expect(isAppUrl(url), String(url)).toBe(false);
    }
  });

  it('keeps navigation inside the app', () => {
    expect(mayNavigate('app://balcao/index.html#/products')).toBe(true);
    expect(mayNavigate('https://example.com/')).toBe(false);
    expect(mayNavigate('http://127.0.0.1:4010/docs')).toBe(false);
    expect(mayNavigate('javascript:alert(1)')).toBe(false);
  });

  it('answers IPC only for the app top-level frame', () => {
    expect(isTrustedSender({ url: 'app://balcao/index.html', parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'app://balcao/index.html', parent: { url: 'app://balcao/' } })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });

  it('grants notifications to the app and nothing else to anyone', () => {
    expect(mayGrantPermission('notifications', 'app://balcao')).toBe(true);
    expect(mayGrantPermission('notifications', 'https://evil.example')).toBe(false);
    for (const permission of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'fileSystem']) {
      expect(mayGrantPermission(permission, 'app://balcao/index.html'), permission).toBe(false);
    }
  });

  const directivesOf = (policy: string) =>
    new Map(
      policy.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );

  it('has a CSP without inline or eval scripts whose connect-src names the paired server only', () => {
    const policy = contentSecurityPolicy(pairedServers({ serverUrl: 'https://servidor.loja.com.br', stationId: 'loja1-cx01' }));
    const directives = directivesOf(policy);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual(["'self'", 'https://servidor.loja.com.br']);
    expect(policy).not.toMatch(/unsafe-eval/);
    // A loopback server answers to both of its names.
    expect(directivesOf(contentSecurityPolicy(['http://localhost:4010'])).get('connect-src')).toEqual(["'self'", 'http://localhost:4010', 'http://127.0.0.1:4010']);
  });

  it('lets a station being set up reach the typed-in address, and never writes a settings value into the policy', () => {
    expect(pairedServers({ serverUrl: 'https://servidor.loja.com.br', stationId: null })).toBeNull();
    expect(directivesOf(contentSecurityPolicy(null)).get('connect-src')).toEqual(["'self'", 'http:', 'https:']);
    const injected = contentSecurityPolicy(['https://ok.example', "https://x.example; script-src 'unsafe-inline'", 'ftp://files.example', 'https://user@evil.example']);
    expect(directivesOf(injected).get('connect-src')).toEqual(["'self'", 'https://ok.example']);
    expect(directivesOf(injected).get('script-src')).toEqual(["'self'"]);
    // A paired station from an earlier version may have stored its address with a path: its origin counts.
    expect(directivesOf(contentSecurityPolicy(['https://servidor.example/balcao'])).get('connect-src')).toEqual(["'self'", 'https://servidor.example']);
  });

  it('hands only http(s) links to the operating system', () => {
    expect(isExternalWebUrl('https://design.example/project/1')).toBe(true);
    expect(isExternalWebUrl('file:///etc/passwd')).toBe(false);
    expect(isExternalWebUrl('smb://server/share')).toBe(false);
    expect(parseDesignSoftwareUrl('https://design.example/p?v=3')).toBe('https://design.example/p?v=3');
    expect(() => parseDesignSoftwareUrl('ms-msdt:/id PCWDiagnostic')).toThrow(/http\(s\)/);
    expect(() => parseDesignSoftwareUrl(42)).toThrow();
  });
});

describe('app file resolution (app:// protocol and web host)', () => {
  const root = resolve('/srv/renderer');

  it('serves files inside the built renderer and routes to index.html', () => {
    expect(resolveAppFile(root, '/assets/index-abc.js')).toBe(`${root}${sep}assets${sep}index-abc.js`);
    expect(resolveAppFile(root, '/')).toBe(`${root}${sep}index.html`);
    expect(resolveAppFile(root, '/products')).toBe(`${root}${sep}index.html`);
  });

  it('refuses paths that leave the renderer folder', () => {
    expect(resolveAppFile(root, '/../secrets.json')).toBeNull();
    expect(resolveAppFile(root, '/..%2f..%2fetc%2fpasswd.txt')).toBeNull();
    expect(resolveAppFile(root, '/assets/%2e%2e/%2e%2e/x.js')).toBeNull();
    expect(resolveAppFile(root, '/%E0%A4%A.js')).toBeNull();
    expect(resolveAppFile(root, '/a%00.js')).toBeNull();
  });
});

describe('bridge input checks', () => {
  it('keeps only known settings with the right types', () => {
    expect(sanitizeSettingsPatch({ serverUrl: 'https://10.0.0.2:4010', language: 'en', evil: true })).toEqual({ serverUrl: 'https://10.0.0.2:4010', language: 'en' });
    expect(sanitizeSettingsPatch({ serverUrl: 'http://127.0.0.1:4010' })).toEqual({ serverUrl: 'http://127.0.0.1:4010' });
    // The page's policy is built from it: only a clean origin, and plain http only on this computer.
    for (const serverUrl of ['http://10.0.0.2:4010', 'https://10.0.0.2:4010/', 'https://a.example/x', "https://a.example; script-src 'unsafe-inline'", 'javascript:alert(1)']) {
      expect(() => sanitizeSettingsPatch({ serverUrl }), serverUrl).toThrow(/serverUrl/);
    }
    expect(sanitizeSettingsPatch({ stationId: null })).toEqual({ stationId: null });
    expect(() => sanitizeSettingsPatch({ language: 'fr' })).toThrow(/language/);
    expect(() => sanitizeSettingsPatch({ storeCode: 3 })).toThrow(/storeCode/);
    expect(() => sanitizeSettingsPatch('x')).toThrow();
    expect(() => sanitizeSettingsPatch(null)).toThrow();
  });

  it('accepts only the two known secrets', () => {
    expect(isSecretName('sessionToken')).toBe(true);
    expect(isSecretName('deviceKey')).toBe(true);
    expect(isSecretName('__proto__')).toBe(false);
    expect(sanitizeSecretValue(null)).toBeNull();
    expect(() => sanitizeSecretValue({})).toThrow();
  });

  it('checks sync state and notification arguments', () => {
    expect(parseSyncState('pending', 3)).toEqual({ state: 'pending', pendingUploads: 3 });
    expect(() => parseSyncState('great', 0)).toThrow();
    expect(() => parseSyncState('online', -1)).toThrow();
    expect(() => parseSyncState('online', 1.5)).toThrow();
    expect(parseNotification('t', 'b')).toEqual({ title: 't', body: 'b' });
    expect(() => parseNotification('t', 1)).toThrow();
  });
});

describe('server address typed at setup (the rule the CSP relies on)', () => {
  it('accepts an http(s) origin, loopback over http, anything else over https; returns the origin', () => {
    expect(parseServerAddress('https://servidor.loja.com.br')).toEqual({ ok: true, origin: 'https://servidor.loja.com.br' });
    expect(parseServerAddress('  https://servidor.loja.com.br:8443/ ')).toEqual({ ok: true, origin: 'https://servidor.loja.com.br:8443' });
    expect(parseServerAddress('http://localhost:4010')).toEqual({ ok: true, origin: 'http://localhost:4010' });
    expect(parseServerAddress('http://127.0.0.1:4010/')).toEqual({ ok: true, origin: 'http://127.0.0.1:4010' });
    expect(parseServerAddress('http://[::1]:4010')).toEqual({ ok: true, origin: 'http://[::1]:4010' });
    // Without a scheme: http for this computer, https for any other.
    expect(parseServerAddress('localhost:4010')).toEqual({ ok: true, origin: 'http://localhost:4010' });
    expect(parseServerAddress('servidor.loja.com.br')).toEqual({ ok: true, origin: 'https://servidor.loja.com.br' });
    expect(parseServerAddress('https://ação.com.br')).toEqual({ ok: true, origin: 'https://xn--ao-siap.com.br' });
  });

  it('refuses plain http to another computer with its own reason', () => {
    for (const address of ['http://192.168.0.10:4010', 'http://servidor.loja.com.br', 'HTTP://10.0.0.2', 'http://0.0.0.0:4010', 'http://localhost.evil.example']) {
      expect(parseServerAddress(address), address).toEqual({ ok: false, problem: 'insecure_server_url' });
    }
  });

  it('refuses what is not a bare server address: other schemes, credentials, paths, queries, fragments, junk', () => {
    for (const address of [
      '',
      '   ',
      'ftp://servidor',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'https://user:senha@servidor.loja.com.br',
      'https://servidor.loja.com.br@evil.example',
      'https://servidor.loja.com.br/api',
      'https://servidor.loja.com.br/?x=1',
      'https://servidor.loja.com.br/#x',
      'https://servidor.loja.com.br?',
      'https://servidor .loja.com.br',
      'https://a;b.example',
      'https://servidor\\evil',
      'https://',
      'http://http://servidor',
      'https://256.256.256.256',
    ]) {
      expect(parseServerAddress(address), address).toEqual({ ok: false, problem: 'invalid_server_url' });
    }
  });
});
