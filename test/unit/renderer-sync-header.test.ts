/**
 * What the header and the products page derive from the sync status: which problem the user is told
 * about, and when the first-sync indicator shows (issue 2's acceptance defects).
 */
import { describe, expect, it } from 'vitest';
import { firstSyncView, syncProblemOf, type SyncProblem } from '../../renderer/ui/sync-header-state.ts';
import { isFirstSyncPending, markFirstSyncDone } from '../../renderer/core/first-sync.ts';
import { ptBR } from '../../renderer/i18n/pt-BR.ts';
import { en } from '../../renderer/i18n/en.ts';
import { MemoryStorage } from './support/memory-storage.ts';

describe('sync problem shown in the header', () => {
  // The engine's own wording (sync/client/start-sync.ts, api-error.ts), as the header receives it.
  const cases: [string, boolean, SyncProblem][] = [
    ['Server http://127.0.0.1:4010 is unreachable: Failed to fetch. You can keep working offline; changes upload when it is back.', false, 'unreachable'],
    ['Lost the connection to the server. You can keep working offline.', false, 'unreachable'],
    ['Session expired: log in again to keep synchronising.', true, 'session_expired'],
    ['Not logged in: log in to upload pending changes.', true, 'session_expired'],
    ['The server refused 1 document(s) as malformed and they were not uploaded: customers/c-1 (name is required). Correct them and save again.', true, 'rejected'],
    ['A products document from the server is invalid (missing id); synchronisation of products stops before it. Ask the administrator to fix it.', true, 'invalid_document'],
    ['Server answered HTTP 502. Try again; if it persists, contact support.', true, 'server_error'],
    ['Live updates refused (HTTP 503).', true, 'server_error'],
    ['Something nobody planned for', true, 'other'],
    // Offline, any leftover error is first of all "no connection".
    ['Something nobody planned for', false, 'unreachable'],
  ];

  it.each(cases)('%s (online=%s) → %s', (lastError, online, expected) => {
    expect(syncProblemOf({ lastError, online })).toBe(expected);
  });

  it('says nothing when there is no error', () => {
    expect(syncProblemOf({ lastError: null, online: false })).toBeNull();
  });

  it('every problem says what happened and what to do, in pt-BR and English', () => {
    const kinds: SyncProblem[] = ['unreachable', 'session_expired', 'rejected', 'invalid_document', 'server_error', 'other'];
    for (const messages of [ptBR, en]) {
      expect(Object.keys(messages.shell.problems).sort()).toEqual([...kinds].sort());
      for (const kind of kinds) {
        const { label, detail } = messages.shell.problems[kind];
        expect(label.length).toBeLessThanOrEqual(28);
        // Two sentences at least: what happened, then what to do.
        expect(detail.split(/[.;:] /).length, `${kind}: ${detail}`).toBeGreaterThanOrEqual(2);
      }
    }
    expect(ptBR.shell.problems.unreachable.detail).not.toBe(en.shell.problems.unreachable.detail);
  });
});

describe('first-sync indicator', () => {
  const online = (pulled: number, done = false) => ({ online: true, lastError: null, initialSync: { done, pulled } });
  const offline = (pulled: number) => ({ online: false, lastError: 'Server http://x is unreachable.', initialSync: { done: false, pulled } });

  it('is hidden after a reconnect or a new login when the device already finished a first sync', () => {
    // The engine restarts its initialSync at 0 on each login: that is not a first sync.
    expect(firstSyncView({ firstSync: false, syncUnavailable: false, status: online(0) })).toEqual({ kind: 'hidden' });
    expect(firstSyncView({ firstSync: false, syncUnavailable: false, status: offline(0) })).toEqual({ kind: 'hidden' });
  });

  it('on a true first sync never says "0 records": it says connecting, then counts what arrived', () => {
    expect(firstSyncView({ firstSync: true, syncUnavailable: false, status: online(0) })).toEqual({ kind: 'connecting' });
    expect(firstSyncView({ firstSync: true, syncUnavailable: false, status: online(5000) })).toEqual({ kind: 'progress', pulled: 5000 });
    expect(firstSyncView({ firstSync: true, syncUnavailable: false, status: online(7000, true) })).toEqual({ kind: 'hidden' });
  });

  it('POS-03 a first sync shows how many of the expected records arrived once the server told the total', () => {
    const told = (pulled: number, expected: number) => ({ ...online(pulled), initialSync: { done: false, pulled, expected } });
    expect(firstSyncView({ firstSync: true, syncUnavailable: false, status: told(5000, 20000) })).toEqual({ kind: 'progress', pulled: 5000, expected: 20000 });
    expect(firstSyncView({ firstSync: true, syncUnavailable: false, status: { ...told(5000, 20000), online: false, lastError: 'offline' } })).toEqual({ kind: 'waiting', pulled: 5000, expected: 20000 });
    // Without a total (an older server) the count alone, as before.
    expect(firstSyncView({ firstSync: true, syncUnavailable: false, status: online(5000) })).not.toHaveProperty('expected');
    expect(ptBR.products.firstSyncOf).toContain('{{total, number}}');
    expect(en.products.firstSyncOf).toContain('{{total, number}}');
  });

  it('offline during a first sync it waits, and hides when sync is unavailable altogether', () => {
    expect(firstSyncView({ firstSync: true, syncUnavailable: false, status: offline(1200) })).toEqual({ kind: 'waiting', pulled: 1200 });
    // A new engine has not tried yet: connecting, not waiting.
    expect(firstSyncView({ firstSync: true, syncUnavailable: false, status: { ...offline(0), lastError: null } })).toEqual({ kind: 'connecting' });
    expect(firstSyncView({ firstSync: true, syncUnavailable: true, status: online(0) })).toEqual({ kind: 'hidden' });
  });

  it('the device remembers a finished first sync per database; an interrupted one stays pending', () => {
    const storage = new MemoryStorage();
    expect(isFirstSyncPending(storage, 'db-a', 0)).toBe(true);
    // Interrupted after 3,000 products: still the first sync on the next start.
    expect(isFirstSyncPending(storage, 'db-a', 3000)).toBe(true);
    markFirstSyncDone(storage, 'db-a');
    expect(isFirstSyncPending(storage, 'db-a', 3000)).toBe(false);
    expect(isFirstSyncPending(storage, 'db-b', 0)).toBe(true);
    // A database filled before this mark existed is not a first sync.
    expect(isFirstSyncPending(storage, 'db-old', 2000)).toBe(false);
    expect(isFirstSyncPending(storage, 'db-old', 0)).toBe(false);
  });
});
