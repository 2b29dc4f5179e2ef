/**
 * What the header and the products page show about sync, derived from the engine's status alone
 * (pure, no React) so the rules can be tested without a browser.
 */
import type { SyncStatus } from '../../sync/client/types.ts';

/**
 * The kinds of sync problem the header explains, each with its own "what happened / what to do"
 * text (shell.problems.*). The engine's lastError is technical English: it stays as the detail.
 */
export type SyncProblem = 'unreachable' | 'session_expired' | 'rejected' | 'invalid_document' | 'server_error' | 'other';

/** Sorts the engine's last error into a kind the user can act on; null when there is nothing to say. */
export function syncProblemOf(status: Pick<SyncStatus, 'online' | 'lastError'>): SyncProblem | null {
  const error = status.lastError;
  if (!error) return null;
  // The engine's wording (sync/client/start-sync.ts, api-error.ts) is matched loosely on purpose:
  // an unknown message still gets the generic advice, never silence.
  if (/session expired|not logged in/i.test(error)) return 'session_expired';
  if (/refused .*malformed/i.test(error)) return 'rejected';
  if (/from the server is invalid/i.test(error)) return 'invalid_document';
  if (!status.online || /unreachable|lost the connection/i.test(error)) return 'unreachable';
  if (/HTTP 5\d\d|unreadable answer|live updates refused|internal server error/i.test(error)) return 'server_error';
  return 'other';
}

export type FirstSyncView =
  | { kind: 'hidden' }
  /** Online, the first batch has not arrived yet: no "0 records" line. */
  | { kind: 'connecting' }
  /** `expected`: documents the first sync will have received in all, once the server said (a bar can show the share). */
  | { kind: 'progress'; pulled: number; expected?: number }
  /** The first sync cannot run (or go on) until the server answers. */
  | { kind: 'waiting'; pulled: number; expected?: number };

export interface FirstSyncInput {
  /** The local database has never finished a full pull (CoreState.firstSync). */
  firstSync: boolean;
  syncUnavailable: boolean;
  status: Pick<SyncStatus, 'online' | 'lastError' | 'initialSync'>;
}

/**
 * The first-sync indicator belongs to a device's very first fill only: after a reconnect or a new
 * login the engine's own initialSync restarts at 0 although the data is already here.
 */
export function firstSyncView({ firstSync, syncUnavailable, status }: FirstSyncInput): FirstSyncView {
  if (!firstSync || syncUnavailable || status.initialSync.done) return { kind: 'hidden' };
  const { pulled, expected } = status.initialSync;
  const total = expected !== undefined && expected > 0 ? { expected } : {};
  // A new engine starts offline with no error: it has not tried yet, which is not "waiting".
  if (!status.online && status.lastError !== null) return { kind: 'waiting', pulled, ...total };
  return pulled > 0 ? { kind: 'progress', pulled, ...total } : { kind: 'connecting' };
}
