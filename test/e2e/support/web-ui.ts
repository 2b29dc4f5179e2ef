import { startWebHost, type WebHost } from '../../../build/web-host.ts';
import type { CentralServer } from './central-server.ts';
import { ensureRendererBuilt } from './renderer-build.ts';

export interface UiOptions {
  /**
   * The page's sync retry period, ms (default: the app's 1000). A file whose tests stop and start the
   * server passes FAST_SYNC_RETRY_MS so the page finds the server again within a fraction of a second
   * instead of sitting out up to 5–15 s of backoff; a test about the schedule itself keeps the default.
   */
  syncRetryMs?: number;
}

/** A retry period that finds a restarted server at once yet keeps retries far apart for the server (ms). */
export const FAST_SYNC_RETRY_MS = 100;

/**
 * The built UI on its own free port, apart from the API server, so the page stays reachable while
 * the server is down (the production web fallback does the same). The page may call `server` and the
 * addresses in `alsoReach` (its CSP names them and nothing else), and the server grants the page's
 * origin CORS — both sides of the same permission, set in one place. BALCAO_UI_ROOT serves another
 * build of the renderer (e.g. one made apart while dist/ is in use).
 */
export async function startUi(server: CentralServer, alsoReach: readonly string[] = [], options: UiOptions = {}): Promise<WebHost> {
  const servers = [server.url, ...alsoReach];
  const root = process.env.BALCAO_UI_ROOT;
  if (!root) await ensureRendererBuilt();
  const ui = await startWebHost({ port: 0, servers, ...(root ? { root } : {}), ...(options.syncRetryMs !== undefined ? { syncRetryMs: options.syncRetryMs } : {}) });
  server.allowOrigin(ui.url);
  return ui;
}
