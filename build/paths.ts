import { fileURLToPath } from 'node:url';

/** Absolute paths of the project, independent of the current directory. */
const at = (relative: string) => fileURLToPath(new URL(`../${relative}`, import.meta.url));

export const ROOT = at('');
export const RENDERER_SRC = at('renderer');
export const RENDERER_DIST = at('dist/renderer');
export const ELECTRON_DIST = at('dist/electron');
export const ELECTRON_PACKAGE = at('node_modules/electron');
export const VITE_RENDERER_CONFIG = at('build/vite.renderer.config.ts');
export const TEST_RESULTS = at('test-results');
