import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { displayProblem, downloadElectronBinary, ensureElectronBinary, locateElectronBinary, type LookupDeps } from '../../build/electron-binary.ts';

function fakeFs(files: Record<string, string>): LookupDeps {
  return { exists: (path) => path in files, read: (path) => files[path] ?? null };
}

describe('Electron binary detection (npm start)', () => {
  const pkg = '/p/node_modules/electron';

  it('finds the executable named by path.txt', () => {
    const fs = fakeFs({ [`${pkg}/package.json`]: '{}', [`${pkg}/path.txt`]: 'electron', [`${pkg}/dist/electron`]: '' });
    expect(locateElectronBinary(pkg, {}, fs)).toEqual({ found: true, path: `${pkg}/dist/electron` });
  });

  it('reports a package installed without its binary (ignore-scripts)', () => {
    const result = locateElectronBinary(pkg, {}, fakeFs({ [`${pkg}/package.json`]: '{}' }));
    expect(result.found).toBe(false);
    expect(!result.found && result.reason).toMatch(/not downloaded/);
  });

  it('reports a path.txt whose executable was deleted', () => {
    const result = locateElectronBinary(pkg, {}, fakeFs({ [`${pkg}/package.json`]: '{}', [`${pkg}/path.txt`]: 'electron' }));
    expect(!result.found && result.reason).toMatch(/missing/);
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH like the electron package does', () => {
    const fs = fakeFs({ [`${pkg}/package.json`]: '{}', '/opt/electron/electron': '' });
    expect(locateElectronBinary(pkg, { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' }, fs)).toEqual({ found: true, path: '/opt/electron/electron' });
    expect(locateElectronBinary(pkg, { ELECTRON_OVERRIDE_DIST_PATH: '/nowhere' }, fs).found).toBe(false);
  });

  it('reports a missing electron package', () => {
    expect(locateElectronBinary(pkg, {}, fakeFs({})).found).toBe(false);
  });

  it('needs a display on Linux only', () => {
    expect(displayProblem('linux', {})).toMatch(/display/);
    expect(displayProblem('linux', { DISPLAY: ':99' })).toBeNull();
    expect(displayProblem('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBeNull();
    expect(displayProblem('win32', {})).toBeNull();
  });
});

describe('one download attempt through the package install script', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function fakePackage(installScript: string): string {
    dir = mkdtempSync(join(tmpdir(), 'balcao-electron-'));
    writeFileSync(join(dir, 'package.json'), '{}');
    writeFileSync(join(dir, 'install.js'), installScript);
    return dir;
  }

  it('reports the first error line when the download fails', async () => {
    const pkg = fakePackage("console.error('\\nRequestError: getaddrinfo ENOTFOUND github.com\\n  at x'); process.exit(1);");
    await expect(downloadElectronBinary(pkg)).resolves.toEqual({ ok: false, detail: 'RequestError: getaddrinfo ENOTFOUND github.com' });
    const result = await ensureElectronBinary(pkg);
    expect(result.found).toBe(false);
    expect(!result.found && result.reason).toMatch(/not downloaded.*fetching it now failed: RequestError/);
  });

  it('uses the binary the install script put in place', async () => {
    const pkg = fakePackage("const fs = require('fs'); fs.mkdirSync(__dirname + '/dist'); fs.writeFileSync(__dirname + '/dist/electron', ''); fs.writeFileSync(__dirname + '/path.txt', 'electron');");
    await expect(ensureElectronBinary(pkg)).resolves.toEqual({ found: true, path: join(pkg, 'dist', 'electron') });
  });

  it('gives up on a download that hangs', async () => {
    const pkg = fakePackage('setInterval(() => {}, 1000);');
    const result = await downloadElectronBinary(pkg, 300);
    expect(result).toEqual({ ok: false, detail: 'gave up after 0 s' });
  });
});
