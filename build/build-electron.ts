import { pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { ELECTRON_DIST, ROOT } from './paths.ts';

/**
 * Bundles the shell into dist/electron/: main as ESM (package.json "main"), the preload as CommonJS
 * because sandboxed preloads cannot load ES modules. Only `electron` stays external; electron-store
 * and its dependencies are inlined so the packaged app needs no node_modules lookup at run time.
 */
const common: BuildOptions = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  target: 'node22',
  external: ['electron'],
  sourcemap: 'linked',
  logLevel: 'warning',
};

export async function buildElectron(): Promise<void> {
  await Promise.all([
    build({
      ...common,
      entryPoints: ['electron/main.ts'],
      outfile: `${ELECTRON_DIST}/main.js`,
      format: 'esm',
      // Inlined CommonJS dependencies call require() for Node built-ins; ESM output needs one.
      banner: { js: "import { createRequire as __balcaoCreateRequire } from 'node:module'; const require = __balcaoCreateRequire(import.meta.url);" },
    }),
    build({
      ...common,
      entryPoints: ['electron/preload.ts'],
      outfile: `${ELECTRON_DIST}/preload.cjs`,
      format: 'cjs',
      platform: 'browser',
    }),
  ]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await buildElectron();
  console.log(`Electron bundles written to ${ELECTRON_DIST}`);
}
