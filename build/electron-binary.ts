import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ELECTRON_PACKAGE } from './paths.ts';

/**
 * Finds the Electron executable the way node_modules/electron/index.js does, without its throw:
 * path.txt names the executable inside dist/ (written by the package's postinstall download),
 * ELECTRON_OVERRIDE_DIST_PATH points at a binary installed elsewhere.
 */
export type ElectronLookup = { found: true; path: string } | { found: false; reason: string };

export interface LookupDeps {
  exists(path: string): boolean;
  read(path: string): string | null;
}

const realFs: LookupDeps = {
  exists: existsSync,
  read(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  },
};

export function locateElectronBinary(packageDir: string = ELECTRON_PACKAGE, env: NodeJS.ProcessEnv = process.env, fs: LookupDeps = realFs): ElectronLookup {
  if (!fs.exists(join(packageDir, 'package.json'))) return { found: false, reason: 'the electron package is not installed (run npm install)' };
  const executable = fs.read(join(packageDir, 'path.txt'))?.trim() || null;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const path = join(override, executable ?? 'electron');
    return fs.exists(path) ? { found: true, path } : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH has no Electron executable (${path})` };
  }
  if (!executable) return { found: false, reason: 'the Electron binary was not downloaded at install (ignore-scripts, see .npmrc)' };
  const path = join(packageDir, 'dist', executable);
  return fs.exists(path) ? { found: true, path } : { found: false, reason: `the Electron binary is missing (${path})` };
}

/** Electron on Linux needs an X11 or Wayland display; without one it would crash at start. */
export function displayProblem(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string | null {
  if (platform !== 'linux') return null;
  return env.DISPLAY || env.WAYLAND_DISPLAY ? null : 'there is no graphical display (DISPLAY/WAYLAND_DISPLAY unset)';
}

/** Runs the electron package's own download script once; not ok when it failed or timed out. */
export function downloadElectronBinary(packageDir: string = ELECTRON_PACKAGE, timeoutMs = 5 * 60_000): Promise<{ ok: boolean; detail: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(packageDir, 'install.js')], { cwd: packageDir, timeout: timeoutMs, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (error) => resolve({ ok: false, detail: error.message }));
    child.once('close', (code, signal) => {
      if (code === 0) return resolve({ ok: true, detail: 'downloaded' });
      if (signal) return resolve({ ok: false, detail: `gave up after ${Math.round(timeoutMs / 1000)} s` });
      const firstLine = stderr.split('\n').find((line) => line.trim()) ?? `exit code ${code}`;
      resolve({ ok: false, detail: firstLine.trim() });
    });
  });
}

/** The binary, fetched once if missing; or why Electron cannot be used here. */
export async function ensureElectronBinary(packageDir: string = ELECTRON_PACKAGE, onSlowDownload?: () => void): Promise<ElectronLookup> {
  const first = locateElectronBinary(packageDir);
  if (first.found) return first;
  const slow = onSlowDownload ? setTimeout(onSlowDownload, 2000) : undefined;
  const download = await downloadElectronBinary(packageDir);
  clearTimeout(slow);
  if (!download.ok) return { found: false, reason: `${first.reason}, and fetching it now failed: ${download.detail}` };
  return locateElectronBinary(packageDir);
}
