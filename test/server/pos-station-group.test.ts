import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, DATABASE_KINDS, login, stationSession, startTestServer, type TestServer } from './support/servers.ts';

const PROMO_GROUP = 'loja1-stationGroup-promo';

describe.each(DATABASE_KINDS)('POS station groups on %s', (kind) => {
  let server: TestServer;
  let device: string;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    device = (await stationSession(server, 'cx01')).token;
    admin = (await login(server, 'admin', 'admin123')).token;
    const group = { id: PROMO_GROUP, kind: 'stationGroup', code: 'promo', name: 'Grupo Promoção', active: true, priceTable: [{ productId: 'p-00001', priceCents: 99 }] };
    expect((await call(server.url, 'PUT', `/api/v1/masterdata/${PROMO_GROUP}`, { token: admin, body: group })).status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
  });

  const pull = (checkpoint: number) => call(server.url, 'GET', `/api/sync/masterdata/pull?checkpoint=${checkpoint}&limit=10000`, { token: device });
  const move = (stationId: string, groupId: string, token = admin) => call(server.url, 'PUT', `/api/stations/${stationId}/group`, { token, body: { groupId } });

  it("POS-08 moving a station to another group reaches that station's next pull and the monitor", async () => {
    const before = await pull(0);
    expect(before.body.documents.find((doc: { id: string }) => doc.id === 'loja1-cx01')).toMatchObject({ kind: 'station', groupId: 'loja1-stationGroup-centro' });

    const answer = await move('loja1-cx01', PROMO_GROUP);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ stationId: 'loja1-cx01', groupId: PROMO_GROUP });

    const after = await pull(before.body.checkpoint.seq);
    expect(after.body.documents).toEqual([{ id: 'loja1-cx01', kind: 'station', code: 'cx01', name: 'Caixa 01', active: true, groupId: PROMO_GROUP, _deleted: false }]);
    const monitor = (await call(server.url, 'GET', '/api/stations', { token: admin })).body as { id: string; groupId: string }[];
    expect(monitor.find((station) => station.id === 'loja1-cx01')?.groupId).toBe(PROMO_GROUP);
    expect(monitor.find((station) => station.id === 'loja1-cx02')?.groupId).toBe('loja1-stationGroup-centro');

    // Moving it to where it already is changes nothing a device would have to download again.
    expect((await move('loja1-cx01', PROMO_GROUP)).status).toBe(200);
    expect((await pull(after.body.checkpoint.seq)).body.documents).toEqual([]);
  });

  it('POS-08 only an admin moves stations, only into a station group of the same store', async () => {
    expect((await move('loja1-cx02', PROMO_GROUP, device)).status).toBe(403);
    const unknown = await move('loja1-cx02', 'loja1-stationGroup-nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'not_found', field: '/groupId' });
    expect((await move('loja1-cx02', 'loja1-seller-v01')).status).toBe(404);
    expect((await move('loja1-cx02', 'loja2-stationGroup-norte')).status).toBe(404);
    expect((await move('loja2-cx01', PROMO_GROUP)).status).toBe(404);
    const monitor = (await call(server.url, 'GET', '/api/stations', { token: admin })).body as { id: string; groupId: string }[];
    expect(monitor.find((station) => station.id === 'loja1-cx02')?.groupId).toBe('loja1-stationGroup-centro');
  });
});
