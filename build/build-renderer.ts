import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';
import { RENDERER_DIST, ROOT, VITE_RENDERER_CONFIG } from './paths.ts';

/** What the renderer bundle is made of: its own sources, the shared sync code, the config, the lock file. */
const SOURCES = ['renderer', 'sync/schema', 'sync/rules', 'sync/client', 'build/vite.renderer.config.ts', 'package-lock.json'];

function newestMtime(path: string): number {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when dist/renderer is missing or older than any file it is built from. */
export function isRendererStale(root = ROOT, dist = RENDERER_DIST): boolean {
  const built = newestMtime(join(dist, 'index.html'));
  if (built === 0) return true;
  return SOURCES.some((source) => newestMtime(join(root, source)) > built);
}

export async function buildRenderer(): Promise<void> {
  // Always the production bundle, as shipped: under vitest NODE_ENV is 'test', and Vite then built the
  // development one (RxDB's dev-mode with ajv, which needs eval, refused by the app's CSP: the login failed).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: VITE_RENDERER_CONFIG, logLevel: 'warn', mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await buildRenderer();
  console.log(`Renderer built into ${RENDERER_DIST}`);
}
