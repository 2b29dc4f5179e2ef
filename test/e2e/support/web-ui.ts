import { startWebHost, type WebHost } from '../../../build/web-host.ts';
import { ensureRendererBuilt } from './renderer-build.ts';

/**
 * The built UI on its own free port, apart from the API server, so the page stays reachable while
 * the server is down (the production web fallback does the same).
 */
export async function startUi(): Promise<WebHost> {
  await ensureRendererBuilt();
  return startWebHost({ port: 0 });
}
