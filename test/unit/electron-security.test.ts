import { describe, expect, it } from 'vitest';
import { resolve, sep } from 'node:path';
import { APP_ENTRY_URL, isAppUrl, isExternalWebUrl } from '../../electron/app-url.ts';
import { resolveAppFile } from '../../electron/app-files.ts';
import { CONTENT_SECURITY_POLICY } from '../../electron/csp.ts';
import { parseDesignSoftwareUrl, parseNotification, parseSyncState } from '../../electron/ipc-input.ts';
import { isTrustedSender, mayGrantPermission, mayNavigate, secureWebPreferences } from '../../electron/security-policy.ts';
import { isSecretName, sanitizeSecretValue, sanitizeSettingsPatch } from '../../electron/settings-input.ts';

describe('Electron security policy', () => {
  it('isolates the page: context isolation, sandbox, no Node, no webview', () => {
    const prefs = secureWebPreferences('/app/preload.cjs');
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

  it('has a CSP without inline or eval scripts that still lets the UI reach a typed-in server', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual(expect.arrayContaining(["'self'", 'http:', 'https:']));
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/);
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
    expect(sanitizeSettingsPatch({ serverUrl: 'http://10.0.0.2:4010', language: 'en', evil: true })).toEqual({ serverUrl: 'http://10.0.0.2:4010', language: 'en' });
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
