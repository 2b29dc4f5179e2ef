import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGES_CHANNEL } from '../../sync/server/db/documents.ts';
import { call, login, stationSession, startTestServer, type TestServer } from './support/servers.ts';
import { changeOf, openStream } from './support/stream.ts';

/**
 * On PostgreSQL the server learns of writes (its own and other instances') through LISTEN on a
 * connection of its own. When that connection is lost (a PostgreSQL restart, a proxy's idle timeout,
 * here pg_terminate_backend), it must be made again, and what was notified meanwhile caught up:
 * before, the server never listened again, and an open till got no price change until its stream
 * reconnected on its own.
 */
describe('LISTEN connection lost on postgresql', () => {
  let server: TestServer;
  let admin: string;
  const terminateListener = async (channel: string): Promise<number> => {
    const rows = await server.query<{ ended: boolean }>(
      'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
      [`balcao listen ${channel}`],
    );
    return rows.filter((row) => row.ended).length;
  };
  beforeAll(async () => {
    server = await startTestServer('postgresql');
    admin = (await login(server, 'admin', 'admin123')).token;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('POS-02 a price change written while the server\'s listening connection was down still reaches an open till, and later ones arrive live', async () => {
    const { token } = await stationSession(server, 'cx01');
    const stream = await openStream(server.url, token);
    try {
      await stream.waitFor((event) => event.event === 'resync', 'the opening RESYNC');
      expect(await terminateListener(CHANGES_CHANNEL)).toBe(1);
      // Written at once, while nobody listens: its notice is lost.
      const missed = await call(server.url, 'POST', '/api/v1/products/batch', { token: admin, body: { items: [{ sku: 'P000007', priceCents: 7_007 }] } });
      expect(missed.status).toBe(200);
      const caughtUp = await stream.waitFor((event) => changeOf(event)?.documents.some((doc) => doc.id === 'p-00007') ?? false, 'the change written while not listening');
      expect(JSON.parse(caughtUp.data).documents).toEqual([expect.objectContaining({ id: 'p-00007', priceCents: 7_007 })]);
      // Listening again: the next change is live, and the caught-up one is not sent twice.
      const live = await call(server.url, 'POST', '/api/v1/products/batch', { token: admin, body: { items: [{ sku: 'P000008', priceCents: 8_008 }] } });
      expect(live.status).toBe(200);
      await stream.waitFor((event) => changeOf(event)?.documents.some((doc) => doc.id === 'p-00008') ?? false, 'the change written after');
      expect(stream.events.filter((event) => changeOf(event)?.documents.some((doc) => doc.id === 'p-00007'))).toHaveLength(1);
    } finally {
      await stream.close();
    }
  });
});
