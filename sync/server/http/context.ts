import type { Database } from '../db/database.ts';
import type { ChangeHub } from '../sync/change-hub.ts';
import type { Metrics } from './metrics.ts';

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
}
