import { startWebHost, type WebHost } from '../../../build/web-host.ts';
import { ensureRendererBuilt } from './renderer-build.ts';

/**
 * The built UI on its own free port, apart from the API server, so the page stays reachable while
 * the server is down (the production web fallback does the same). `servers`: the server addresses
 * the page may call (its CSP names them and nothing else). BALCAO_UI_ROOT serves another build of
 * the renderer (e.g. one made apart while dist/ is in use).
 */
export async function startUi(servers: readonly string[]): Promise<WebHost> {
  const root = process.env.BALCAO_UI_ROOT;
  if (root) return startWebHost({ port: 0, root, servers });
  await ensureRendererBuilt();
  return startWebHost({ port: 0, servers });
}
