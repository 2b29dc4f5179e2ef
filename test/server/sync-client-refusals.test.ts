import { describe, expect, it } from 'vitest';
import { startSync } from '../../sync/client/index.ts';
import { cleanupAfterEach, customer, login, openDeviceDb, until } from './sync-client-helpers.ts';
import { DATABASE_KINDS } from './support/servers.ts';

const { cleanups, server } = cleanupAfterEach();

/**
 * Issue 14, kind 1, as a station lives it: one customer whose name the database cannot hold no longer
 * stops the station's customer uploads (it answered 500 and the client retried the batch forever), and
 * is not given up either: the server keeps it aside with its reason (sync/server/sync/malformed-rows.ts).
 */
describe.each(DATABASE_KINDS)('a document the server cannot store, uploaded by the real sync client (%s)', (kind) => {
  it('POS-02 POS-07 the good customers of the batch are uploaded; the bad one is named, and uploads go on', async () => {
    const srv = await server(kind);
    const { token } = await login(srv.url, 'caixa', 'caixa123');
    const { db, cols } = await openDeviceDb(`refusals_${Date.now()}`, ['customers']);
    const engine = startSync({ serverUrl: srv.url, collections: cols, getToken: () => token, retryTime: 100, maxRetryTime: 300 });
    cleanups.push(async () => {
      await engine.stop();
      await db.close();
    });
    await engine.awaitInSync();

    await cols.customers!.bulkInsert([customer(11), { ...customer(12), name: 'Jo\u0000ão' }, customer(13)]);
    const uploaded = async (id: string) => (await fetch(`${srv.url}/api/v1/customers/${id}`, { headers: { authorization: `Bearer ${token}` } })).status === 200;
    await until(async () => (await uploaded('c-test-11')) && (await uploaded('c-test-13')), 'the good customers uploaded');
    expect(await uploaded('c-test-12')).toBe(false);
    // Kept on the server with its reason (the field and the problem), listed among the station's integration errors.
    const refusals = async () => (await (await fetch(`${srv.url}/api/sync/errors`, { headers: { authorization: `Bearer ${token}` } })).json()) as { documentId: string; reason: string; message: string }[];
    await until(async () => (await refusals()).some((entry) => entry.documentId === 'c-test-12'), 'the refused customer kept with its reason');
    expect((await refusals()).find((entry) => entry.documentId === 'c-test-12')).toMatchObject({ reason: 'invalid_value', message: expect.stringMatching(/field name .*U\+0000/) });

    // Later writes still go up, and correcting the name gets the customer in.
    await cols.customers!.insert(customer(14));
    await until(() => uploaded('c-test-14'), 'a later customer uploaded');
    await (await cols.customers!.findOne('c-test-12').exec())!.incrementalPatch({ name: 'João' });
    await until(() => uploaded('c-test-12'), 'the corrected customer uploaded');
  });
});
