import { startWebHost, type WebHost } from '../../../build/web-host.ts';
import { ensureRendererBuilt } from './renderer-build.ts';

/**
 * The built UI on its own free port, apart from the API server, so the page stays reachable while
 * the server is down (the production web fallback does the same). BALCAO_UI_ROOT serves another
 * build of the renderer (e.g. one made apart while dist/ is in use).
 */
export async function startUi(): Promise<WebHost> {
  const root = process.env.BALCAO_UI_ROOT;
  if (root) return startWebHost({ port: 0, root });
  await ensureRendererBuilt();
  return startWebHost({ port: 0 });
}
