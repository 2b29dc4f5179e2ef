import type { StartOptions } from '../../../sync/server/node/start.ts';
import { CentralServer } from './central-server.ts';

/**
 * The e2e central server (demo data, PGlite, own folder) with its rate limits ON, as production runs:
 * the conformance script's "429 with Retry-After honoured" step needs them, and CentralServer turns
 * them off for the other e2e files. It is a CentralServer — same folder handling, template copy,
 * restarts and CORS — whose extra server options (spread over its defaults when it starts) turn the
 * limits back on; the admin-sandbox e2e's 429 step fails if they are not. Used by
 * test/e2e/admin-sandbox.test.ts.
 */
export function rateLimitedServer(): CentralServer {
  // A variable, not a literal: CentralServer's option type names only stationOnlineSeconds today.
  const limited: Pick<StartOptions, 'stationOnlineSeconds' | 'rateLimit'> = { rateLimit: {} }; // {}: the production defaults
  return new CentralServer(limited);
}
