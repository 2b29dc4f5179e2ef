import type { SyncTrayState } from '../renderer/bridge/types.ts';
import { isExternalWebUrl } from './app-url.ts';

/** Checks of the bridge's non-settings arguments; a wrong call is refused, never half-applied. */
const STATES: readonly SyncTrayState[] = ['online', 'offline', 'pending', 'error'];

export function parseSyncState(state: unknown, pendingUploads: unknown): { state: SyncTrayState; pendingUploads: number } {
  if (!STATES.includes(state as SyncTrayState)) throw new TypeError('unknown sync state');
  if (typeof pendingUploads !== 'number' || !Number.isInteger(pendingUploads) || pendingUploads < 0) {
    throw new TypeError('pendingUploads must be a non-negative integer');
  }
  return { state: state as SyncTrayState, pendingUploads };
}

export function parseNotification(title: unknown, body: unknown): { title: string; body: string } {
  if (typeof title !== 'string' || typeof body !== 'string') throw new TypeError('title and body must be strings');
  return { title: title.slice(0, 200), body: body.slice(0, 1000) };
}

/** The design software is opened through its web address; other schemes could launch arbitrary programs. */
export function parseDesignSoftwareUrl(url: unknown): string {
  if (typeof url !== 'string' || !isExternalWebUrl(url)) throw new TypeError('the design software address must be an http(s) URL');
  return url;
}
