import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildRenderer, isRendererStale } from '../../../build/build-renderer.ts';
import { RENDERER_DIST } from '../../../build/paths.ts';

let building: Promise<void> | null = null;

/**
 * `npm test` builds the renderer before the e2e project, so a build here only happens when a single
 * e2e file is run on a fresh checkout. A stale bundle is used as is (rebuilding under a sibling run
 * that serves dist/renderer would pull the files from under it), but the run says so.
 */
export function ensureRendererBuilt(): Promise<void> {
  building ??= (async () => {
    if (!existsSync(join(RENDERER_DIST, 'index.html'))) {
      console.log('[e2e] dist/renderer is missing: building the renderer once…');
      await buildRenderer();
    } else if (isRendererStale()) {
      console.warn('[e2e] dist/renderer is older than its sources: the UI under test may be outdated (run `npm run build`).');
    }
  })();
  return building;
}
