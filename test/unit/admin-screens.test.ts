import { describe, expect, it } from 'vitest';
import { API_RESOURCES, API_SCOPES, type ApiKeyInfo } from '../../sync/schema/index.ts';
import type { HomologationRun } from '../../sync/schema/sandbox.ts';
import { KEY_WRITES } from '../../sync/server/auth/key-writes.ts';
import { COLLECTION_API_RESOURCE } from '../../sync/server/http/routes-integration.ts';
import { GRANTABLE_SCOPES, grantableAccess, UNGRANTABLE_SCOPES } from '../../renderer/ui/admin/scopes.ts';
import { failedStepCount, promotionOf } from '../../renderer/ui/admin/promotion.ts';
import { offsetParts } from '../../renderer/ui/admin/clock-offset.ts';
import { pauseKind, pauseKindOf, pausedBy, pausedByOf } from '../../renderer/ui/admin/pause-reason.ts';

describe('admin screens: what the API key form offers', () => {
  it('API-08 the key form never offers sales:write, and every collection behind the sales resource is refused to keys on the server', () => {
    expect(GRANTABLE_SCOPES).not.toContain('sales:write');
    expect(grantableAccess('sales')).toEqual(['read']);
    const behindSales = Object.entries(COLLECTION_API_RESOURCE).filter(([, resource]) => resource === 'sales').map(([collection]) => collection);
    expect(behindSales.length).toBeGreaterThan(0);
    for (const collection of behindSales) expect(KEY_WRITES[collection as keyof typeof KEY_WRITES].rule).toBe('refused');
  });

  it('API-08 every scope that grants something is offered: a resource loses its write only when every collection behind it is refused to keys', () => {
    for (const resource of API_RESOURCES) {
      const collections = Object.entries(COLLECTION_API_RESOURCE).filter(([, r]) => r === resource).map(([collection]) => collection as keyof typeof KEY_WRITES);
      const allRefused = collections.length > 0 && collections.every((collection) => KEY_WRITES[collection].rule === 'refused');
      expect(grantableAccess(resource), resource).toEqual(allRefused ? ['read'] : ['read', 'write']);
    }
    expect(GRANTABLE_SCOPES.length + UNGRANTABLE_SCOPES.length).toBe(API_SCOPES.length);
  });
});

describe('admin screens: promotion to production', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');
  const run = (passed: boolean): HomologationRun => ({ id: 'r1', keyId: 'k1', receivedAt: '2026-11-29T11:00:00Z', passed, steps: [{ step: 'master-data', passed }], uncorroborated: [] });
  const key = (over: Partial<ApiKeyInfo>): Pick<ApiKeyInfo, 'environment' | 'revokedAt' | 'expiresAt' | 'lastHomologation'> => ({ environment: 'sandbox', revokedAt: null, expiresAt: null, lastHomologation: null, ...over });

  it('API-07 a live sandbox key is promotable only after its last run passed; otherwise the reason is given', () => {
    expect(promotionOf(key({}), now)).toEqual({ offered: true, allowed: false, why: 'noRun' });
    expect(promotionOf(key({ lastHomologation: run(false) }), now)).toEqual({ offered: true, allowed: false, why: 'failed' });
    expect(promotionOf(key({ lastHomologation: run(true) }), now)).toEqual({ offered: true, allowed: true });
    // A revoked or expired sandbox key is not offered promotion, whatever its run.
    expect(promotionOf(key({ lastHomologation: run(true), revokedAt: '2026-11-29T11:30:00Z' }), now)).toEqual({ offered: false });
    expect(promotionOf(key({ lastHomologation: run(true), expiresAt: '2026-11-29T11:59:59Z' }), now)).toEqual({ offered: false });
  });

  it('API-07 a sandbox key whose production key is still live is not offered promotion again, and says why', () => {
    expect(promotionOf(key({ lastHomologation: run(true), promotedTo: 'abc123' }), now)).toEqual({ offered: true, allowed: false, why: 'promoted' });
    // Once that production key is revoked (the server then sends null), promotion is offered again.
    expect(promotionOf(key({ lastHomologation: run(true), promotedTo: null }), now)).toEqual({ offered: true, allowed: true });
  });

  it('API-07 a run refused only for uncorroborated steps counts them as failed, each step once', () => {
    const steps = [{ step: 'master-data', passed: true }, { step: 'webhook', passed: false }, { step: 'idempotency', passed: true }];
    expect(failedStepCount({ steps, uncorroborated: [] })).toBe(1);
    expect(failedStepCount({ steps, uncorroborated: ['master-data', 'webhook'] })).toBe(2);
    expect(failedStepCount({ steps: steps.map((step) => ({ ...step, passed: true })), uncorroborated: ['idempotency'] })).toBe(1);
  });

  it('API-06 production keys, and keys of a server that does not say their environment, are never offered promotion', () => {
    expect(promotionOf(key({ environment: 'production', lastHomologation: run(true) }), now)).toEqual({ offered: false });
    expect(promotionOf(key({ environment: undefined, lastHomologation: run(true) }), now)).toEqual({ offered: false });
  });
});

describe('admin screens: sandbox clock and webhook pauses', () => {
  it('API-06 the clock offset reads as days, hours and minutes', () => {
    expect(offsetParts(0)).toEqual({ days: 0, hours: 0, minutes: 0 });
    expect(offsetParts(3 * 86_400 + 4 * 3_600 + 5 * 60 + 59)).toEqual({ days: 3, hours: 4, minutes: 5 });
    expect(offsetParts(-10)).toEqual({ days: 0, hours: 0, minutes: 0 });
  });

  it('API-02 an unknown or missing pause reason is shown as it is, never mistaken for a known kind', () => {
    expect(pauseKind(null)).toBe('other');
    expect(pauseKind('Receiver under maintenance')).toBe('other');
    expect(pausedBy('Receiver under maintenance')).toBeNull();
  });

  it('API-02 the pause is read from the server\'s code when it sends one, and from its sentence only when it does not (an older server)', () => {
    // The code wins, whatever the sentence says (it may be reworded or translated).
    expect(pauseKindOf({ pausedCode: 'key_revoked', pausedReason: 'Paused by Ana Admin (u-1).' })).toBe('key_revoked');
    expect(pausedByOf({ pausedCode: 'manual', pausedByName: 'Bia Gerente', pausedReason: 'Paused by Ana Admin (u-1).' })).toBe('Bia Gerente');
    expect(pausedByOf({ pausedCode: 'delivery_failed', pausedByName: null, pausedReason: 'Paused by Ana Admin (u-1).' })).toBeNull();
    // An older server: no pausedCode field at all.
    expect(pauseKindOf({ pausedReason: 'Paused by Ana Admin (u-1).' })).toBe('manual');
    expect(pausedByOf({ pausedReason: 'Paused by Ana Admin (u-1).' })).toBe('Ana Admin');
    // Active (code null, no sentence): no known kind.
    expect(pauseKindOf({ pausedCode: null, pausedReason: null })).toBe('other');
  });
});
