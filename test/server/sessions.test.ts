import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, call, DATABASE_KINDS, issuePairingCode, login, pair, pairStation, startTestServer, type TestServer } from './support/servers.ts';
import type { StreamResync } from '../../sync/schema/index.ts';
import { changeOf, endsWithin, openStream } from './support/stream.ts';

/**
 * Issue 14 kind 9 and issue 17 item 2: pairing codes work once and expire, re-pairing and unpairing
 * cut the old installation off (device key, sessions, open streams), logout revokes the token, and
 * every administrative step is in the store's administration trail.
 */
describe.each(DATABASE_KINDS)('pairing codes and sessions on %s', (kind) => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = await adminToken(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  const me = (token: string) => call(server.url, 'GET', '/api/auth/me', { token });
  const pairCall = (stationCode: string, pairingCode: string) => call(server.url, 'POST', '/api/stations/pair', { body: { storeCode: 'loja1', stationCode, pairingCode } });

  it('POS-04 a pairing code works once; a second device with the same code is refused', async () => {
    const code = await issuePairingCode(server, 'cx02');
    expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    const first = await pairCall('cx02', code);
    expect(first.status).toBe(200);
    const again = await pairCall('cx02', code);
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('invalid_pairing');
    expect(again.body.error.message).toMatch(/already used or has expired/);
    // Typed in lower case with spaces, a fresh code works (codes are read off a screen).
    const next = await issuePairingCode(server, 'cx02');
    expect((await pairCall('cx02', ` ${next.toLowerCase().replace(/-/g, ' ')} `)).status).toBe(200);
  });

  it('POS-04 two devices racing with one code: exactly one is paired', async () => {
    const code = await issuePairingCode(server, 'cx02');
    const answers = await Promise.all([pairCall('cx02', code), pairCall('cx02', code), pairCall('cx02', code)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401, 401]);
  });

  it('POS-04 an expired code is refused, and the monitor shows when a waiting code expires', async () => {
    const issued = await call(server.url, 'POST', '/api/stations/loja1-cx02/pairing-code', { token: admin, body: { expiresInMinutes: 5 } });
    expect(issued.status).toBe(200);
    const expiresAt = Date.parse(issued.body.expiresAt);
    expect(expiresAt).toBeGreaterThan(Date.now() + 4 * 60_000);
    expect(expiresAt).toBeLessThan(Date.now() + 6 * 60_000);
    const monitor = (await call(server.url, 'GET', '/api/stations', { token: admin })).body;
    expect(monitor.find((station: { id: string }) => station.id === 'loja1-cx02').pairingCodeExpiresAt).toBe(issued.body.expiresAt);
    // Five minutes pass.
    await server.query("UPDATE stations SET pairing_code_expires_at = now() - interval '1 second' WHERE id = 'loja1-cx02'");
    expect((await pairCall('cx02', issued.body.pairingCode)).status).toBe(401);
    const later = (await call(server.url, 'GET', '/api/stations', { token: admin })).body;
    expect(later.find((station: { id: string }) => station.id === 'loja1-cx02').pairingCodeExpiresAt).toBeNull();
  });

  it('POS-04 an administrator revokes a waiting code; issuing a new one replaces the old; bounds are checked', async () => {
    const first = await issuePairingCode(server, 'cx02');
    const second = await issuePairingCode(server, 'cx02');
    expect((await pairCall('cx02', first)).status).toBe(401);
    const revoked = await call(server.url, 'DELETE', '/api/stations/loja1-cx02/pairing-code', { token: admin });
    expect(revoked.status).toBe(204);
    expect((await pairCall('cx02', second)).status).toBe(401);
    const none = await call(server.url, 'DELETE', '/api/stations/loja1-cx02/pairing-code', { token: admin });
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('not_found');
    for (const expiresInMinutes of [0, 4, 7 * 24 * 60 + 1, 1.5]) {
      const refused = await call(server.url, 'POST', '/api/stations/loja1-cx02/pairing-code', { token: admin, body: { expiresInMinutes } });
      expect(refused.status, String(expiresInMinutes)).toBe(400);
      expect(refused.body.error.field).toBe('/expiresInMinutes');
    }
    // A station of another store is not found from this one.
    expect((await call(server.url, 'POST', '/api/stations/loja2-cx01/pairing-code', { token: admin, body: {} })).status).toBe(404);
  });

  it('POS-04 re-pairing a station cuts the old installation off: its sessions, its open stream and its device key', async () => {
    const old = await pairStation(server, 'cx01');
    const oldSession = await login(server, 'caixa', 'caixa123', 'loja1', old);
    const stream = await openStream(server.url, oldSession.token);
    try {
      await stream.waitFor((event) => event.event === 'resync', 'resync');
      const replacement = await pairStation(server, 'cx01');
      await stream.ended;
      const answer = await me(oldSession.token);
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('unauthorized');
      const oldKey = await call(server.url, 'POST', '/api/auth/login', { body: { storeCode: 'loja1', userCode: 'caixa', password: 'caixa123', stationId: old.stationId, deviceKey: old.deviceKey } });
      expect(oldKey.status).toBe(401);
      expect(oldKey.body.error.code).toBe('invalid_pairing');
      const current = await login(server, 'caixa', 'caixa123', 'loja1', replacement);
      expect((await me(current.token)).body.stationId).toBe('loja1-cx01');
    } finally {
      await stream.close();
    }
  });

  it('an administrator unpairs a lost station: its device key stops and its sessions end; other stations are untouched', async () => {
    const lost = await pairStation(server, 'cx01');
    const session = await login(server, 'caixa', 'caixa123', 'loja1', lost);
    const other = await login(server, 'caixa', 'caixa123', 'loja1', await pairStation(server, 'cx02'));
    const answer = await call(server.url, 'DELETE', '/api/stations/loja1-cx01/pairing', { token: admin });
    expect(answer.status).toBe(200);
    expect(answer.body.sessionsEnded).toBe(1);
    expect((await me(session.token)).status).toBe(401);
    expect((await call(server.url, 'POST', '/api/auth/login', { body: { storeCode: 'loja1', userCode: 'caixa', password: 'caixa123', stationId: lost.stationId, deviceKey: lost.deviceKey } })).status).toBe(401);
    expect((await me(other.token)).status).toBe(200);
    const monitor = (await call(server.url, 'GET', '/api/stations', { token: admin })).body;
    expect(monitor.find((station: { id: string }) => station.id === 'loja1-cx01').paired).toBe(false);
  });

  it('logout revokes the token at once and closes its stream; other sessions of the user go on', async () => {
    const station = await pairStation(server, 'cx01');
    const session = await login(server, 'caixa', 'caixa123', 'loja1', station);
    const elsewhere = await login(server, 'caixa', 'caixa123');
    const stream = await openStream(server.url, session.token);
    try {
      await stream.waitFor((event) => event.event === 'resync', 'resync');
      const out = await call(server.url, 'POST', '/api/auth/logout', { token: session.token });
      expect(out.status).toBe(204);
      await stream.ended;
      expect((await me(session.token)).status).toBe(401);
      expect((await call(server.url, 'POST', '/api/auth/logout', { token: session.token })).status).toBe(401);
      expect((await call(server.url, 'POST', '/api/auth/logout')).status).toBe(401);
      expect((await me(elsewhere.token)).status).toBe(200);
      // The device itself stays paired: the next cashier signs in with its key.
      expect((await login(server, 'caixa', 'caixa123', 'loja1', station)).stationId).toBe('loja1-cx01');
    } finally {
      await stream.close();
    }
  });

  it('ADM-02 a user demoted from admin to cashier: their open stream closes at once and a back-office record written after never reaches it; another admin\'s stream goes on', async () => {
    const created = await call(server.url, 'POST', '/api/users', { token: admin, body: { code: 'boss2', name: 'Boss Two', password: 'boss2-pass-123', roles: ['admin'] } });
    expect(created.status).toBe(201);
    const boss = await login(server, 'boss2', 'boss2-pass-123');
    const demoted = await openStream(server.url, boss.token);
    const other = await openStream(server.url, admin);
    try {
      for (const stream of [demoted, other]) await stream.waitFor((event) => event.event === 'resync', 'resync');
      expect((await call(server.url, 'PUT', '/api/users/loja1-boss2/roles', { token: admin, body: { roles: ['cashier'] } })).status).toBe(200);
      expect(await endsWithin(demoted.ended, 5_000)).toBe(true);
      const service = { id: 'svc-after-demotion', kind: 'service', code: 'SECRET', name: 'Serviço restrito', active: true, monthlyFeeCents: 12_345, updatedAt: new Date().toISOString() };
      expect((await call(server.url, 'PUT', '/api/v1/backoffice/svc-after-demotion', { token: admin, body: service })).status).toBe(200);
      await other.waitFor((event) => changeOf(event)?.documents.some((doc) => doc.id === 'svc-after-demotion') ?? false, 'the back-office record on the other admin\'s stream');
      expect(demoted.events.some((event) => changeOf(event)?.documents.some((doc) => doc.id === 'svc-after-demotion'))).toBe(false);
      // The device reconnects with its token: the new stream carries a cashier's collections only.
      const again = await openStream(server.url, boss.token);
      try {
        const opening = JSON.parse((await again.waitFor((event) => event.event === 'resync', 'resync')).data) as StreamResync;
        expect(opening.positions.sales).toBeDefined();
        expect(opening.positions.backoffice).toBeUndefined();
      } finally {
        await again.close();
      }
    } finally {
      await demoted.close();
      await other.close();
    }
  });

  it('an administrator registers a station, issues its code, a device pairs with it; every step is in the administration trail', async () => {
    const registered = await call(server.url, 'POST', '/api/stations', { token: admin, body: { code: 'cx03', name: 'Caixa 03', groupId: 'loja1-stationGroup-centro' } });
    expect(registered.status).toBe(201);
    expect(registered.body).toEqual({ id: 'loja1-cx03', code: 'cx03', name: 'Caixa 03', groupId: 'loja1-stationGroup-centro' });
    expect((await call(server.url, 'POST', '/api/stations', { token: admin, body: { code: 'cx03', name: 'Outra' } })).status).toBe(409);
    expect((await call(server.url, 'POST', '/api/stations', { token: admin, body: { code: 'cx04', name: 'X', groupId: 'nope' } })).status).toBe(404);
    // Devices receive the station's master record.
    expect((await call(server.url, 'GET', '/api/v1/masterdata/loja1-cx03', { token: admin })).body).toMatchObject({ kind: 'station', code: 'cx03', groupId: 'loja1-stationGroup-centro' });
    expect((await pairCall('cx03', 'anything')).status).toBe(401);

    const code = await issuePairingCode(server, 'cx03');
    const device = await pair(server, 'cx03', code);
    const cashier = await login(server, 'caixa', 'caixa123', 'loja1', device);
    expect(cashier.stationId).toBe('loja1-cx03');

    const trail = await call(server.url, 'GET', '/api/admin/events?limit=1000', { token: admin });
    expect(trail.status).toBe(200);
    const ofCx03 = trail.body.filter((event: { stationId: string | null }) => event.stationId === 'loja1-cx03').map((event: { action: string; userId: string | null }) => [event.action, event.userId]);
    expect(ofCx03).toEqual([
      ['station_paired', null],
      ['pairing_code_issued', 'loja1-admin'],
      ['station_registered', 'loja1-admin'],
    ]);
    expect(trail.body.some((event: { action: string }) => event.action === 'pairing_code_revoked')).toBe(true);
    expect(trail.body.some((event: { action: string }) => event.action === 'station_unpaired')).toBe(true);
    // Another store's trail is its own.
    const north = await call(server.url, 'GET', '/api/admin/events', { token: await adminToken(server, 'loja2') });
    expect(north.body.some((event: { stationId: string | null }) => event.stationId?.startsWith('loja1-'))).toBe(false);
  });

  it('codes and keys are stored only hashed', async () => {
    const code = await issuePairingCode(server, 'cx02');
    const rows = await server.query<{ pairing_code_hash: string | null; device_key_hash: string | null }>("SELECT pairing_code_hash, device_key_hash FROM stations WHERE id = 'loja1-cx02'");
    expect(rows[0]!.pairing_code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(code.replace(/-/g, ''));
    const paired = await pair(server, 'cx02', code);
    const after = await server.query<{ pairing_code_hash: string | null; device_key_hash: string | null }>("SELECT pairing_code_hash, device_key_hash FROM stations WHERE id = 'loja1-cx02'");
    expect(after[0]!.pairing_code_hash).toBeNull();
    expect(after[0]!.device_key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(after)).not.toContain(paired.deviceKey);
  });
});
