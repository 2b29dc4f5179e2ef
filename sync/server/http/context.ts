import type { CredentialGuard } from '../auth/attempts.ts';
import type { LiveSessions } from '../auth/sessions.ts';
import type { FirstSetup } from '../auth/setup.ts';
import type { ScryptParams } from '../auth/secrets.ts';
import type { Database } from '../db/database.ts';
import type { ChangeHub } from '../sync/change-hub.ts';
import type { Metrics } from './metrics.ts';
import type { WebhookWorker } from '../webhooks/worker.ts';

/** What every route module receives; no module reaches for globals. */
export interface ServerContext {
  db: Database;
  hub: ChangeHub;
  metrics: Metrics;
  version: string;
  /** Devices whose stream is open right now, by station id (for the monitor's online flag). */
  openStreams: Map<string, number>;
  /** A station without a heartbeat for longer than this (and no open stream) shows offline; default ONLINE_WINDOW_SECONDS. */
  stationOnlineSeconds?: number;
  /** Open streams by session, closed when their session is revoked or expires. */
  liveSessions?: LiveSessions;
  /** Counts failed logins and pairings; null when credential limits are off (tests). */
  credentials?: CredentialGuard | null;
  /** The one-time code that lets the first administrator be created; absent once an admin exists. */
  setup?: FirstSetup;
  /** A static bearer token that may read /metrics (Prometheus); admins may read it with their session. */
  metricsToken?: string | null;
  /** Webhook delivery (API-02): its clock, its address policy, and a wake-up after a redelivery. */
  webhooks?: WebhookWorker;
  /** The scrypt cost of password hashes: StartOptions.passwordHashing, checked, or SCRYPT_PARAMS. */
  passwordHashing: ScryptParams;
}
