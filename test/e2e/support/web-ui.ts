import { startWebHost, type WebHost } from '../../../build/web-host.ts';
import type { CentralServer } from './central-server.ts';
import { ensureRendererBuilt } from './renderer-build.ts';

/**
 * The built UI on its own free port, apart from the API server, so the page stays reachable while
 * the server is down (the production web fallback does the same). The page may call `server` and the
 * addresses in `alsoReach` (its CSP names them and nothing else), and the server grants the page's
 * origin CORS — both sides of the same permission, set in one place. BALCAO_UI_ROOT serves another
 * build of the renderer (e.g. one made apart while dist/ is in use).
 */
export async function startUi(server: CentralServer, alsoReach: readonly string[] = []): Promise<WebHost> {
  const servers = [server.url, ...alsoReach];
  const root = process.env.BALCAO_UI_ROOT;
  if (!root) await ensureRendererBuilt();
  const ui = await startWebHost(root ? { port: 0, root, servers } : { port: 0, servers });
  server.allowOrigin(ui.url);
  return ui;
}
