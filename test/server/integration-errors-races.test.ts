import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backofficeClient, contractDoc, customer, rows, serviceDoc, usageDoc, type BackofficeClient } from './support/backoffice.ts';
import { call, DATABASE_KINDS, startTestServer, type TestServer } from './support/servers.ts';

/**
 * "Tentar de novo" on one integration error sent several times at once (POS-07), beside another user's
 * change of the same document: the entry is claimed under the store's lock, so exactly one retry writes
 * its version and the others answer the entry settled. Were each to write, a retry landing after the
 * other user's change would overwrite it (a lost update). PostgreSQL is where the requests interleave
 * (PGlite has one connection); both run the same checks.
 */
describe.each(DATABASE_KINDS)('integration error retries at once on %s', (kind) => {
  let server: TestServer;
  let bo: BackofficeClient;
  const ROUNDS = 8;
  const RETRIES = 3;
  beforeAll(async () => {
    server = await startTestServer(kind);
    bo = await backofficeClient(server);
    expect((await bo.push('customers', rows(customer(61)))).body).toEqual([]);
    expect((await bo.push('backoffice', rows(serviceDoc('race-min', { monthlyFeeCents: 1000, unit: 'min', unitPriceCents: 12, includedQuantity: 100 })))).body).toEqual([]);
    expect((await bo.push('backoffice', rows(contractDoc('ct-retry-race', 'bo-cust-61', [['race-min', 1]])))).body).toEqual([]);
  });
  afterAll(async () => {
    await server?.close();
  });

  /** A document's version: the sequence number in its ETag (each write of the store takes the next one). */
  const versionOf = (etag: string | null) => Number(JSON.parse(etag ?? 'null'));

  /** A usage record both devices changed offline: the second device's version is kept as an edit conflict, open. */
  const editConflict = async (id: string): Promise<{ entryId: string; kept: Record<string, unknown> }> => {
    const base = usageDoc(id, 'ct-retry-race', 'race-min', 10, '2026-11-20');
    expect((await bo.push('consumption', rows(base))).body).toEqual([]);
    expect((await bo.push('consumption', [{ newDocumentState: { ...base, quantity: 12, updatedAt: '2026-11-21T09:00:00.000Z' }, assumedMasterState: base }])).body).toEqual([]);
    await bo.push('consumption', [{ newDocumentState: { ...base, quantity: 15, updatedAt: '2026-11-21T09:05:00.000Z' }, assumedMasterState: base }]);
    const entry = (await bo.errors()).find((error) => error.documentId.startsWith(`${id}:edit-conflict:`) && !error.resolvedAt);
    if (!entry) throw new Error(`no edit conflict kept for ${id}`);
    return { entryId: entry.id, kept: entry.document };
  };

  it('POS-07 BO-04 retries of one integration error sent at once write its version once: a change made after it is not overwritten', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const id = `retry-race-${round}`;
      const { entryId, kept } = await editConflict(id);
      expect(kept).toMatchObject({ quantity: 15 });
      const before = versionOf((await bo.api('GET', `/consumption/${id}`)).headers.get('etag'));
      const quantity = 100 + round;
      const [change, ...retries] = await Promise.all([
        bo.api('PUT', `/consumption/${id}`, { serviceId: 'race-min', quantity, date: '2026-11-20' }),
        ...Array.from({ length: RETRIES }, () => call(server.url, 'POST', `/api/sync/errors/${entryId}/retry`, { token: bo.token })),
      ]);
      expect(change.status).toBe(200);
      // Every retry answers the entry settled, the same settlement: one of them made it.
      for (const retry of retries) expect(retry).toMatchObject({ status: 200, body: { id: entryId, resolvedAt: retries[0]!.body.resolvedAt } });
      expect(retries[0]!.body.resolvedAt).not.toBeNull();
      const now = await bo.api('GET', `/consumption/${id}`);
      const after = versionOf(now.headers.get('etag'));
      // Two writes in either serial order: the kept version once, and the change.
      expect(after - before).toBe(2);
      if (versionOf(change.headers.get('etag')) === after) expect(now.body).toMatchObject({ quantity });
      else expect(now.body).toMatchObject({ quantity: 15 });
    }
  });
});
