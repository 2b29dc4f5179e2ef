import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpf } from './support/documents.ts';
import { at, backofficeClient, rows, type BackofficeClient } from './support/backoffice.ts';
import { call, DATABASE_KINDS, login, pairStation, type TestServer, startTestServer } from './support/servers.ts';

/**
 * BO-01: a CPF/CNPJ identifies one customer of a store, on the server too — every write path (device
 * push, integration API, the device's spreadsheet import, which uploads by push) refuses a second
 * customer with a CPF/CNPJ already held, per record, with a message that names the holder. The rule for
 * two devices creating the same CPF/CNPJ offline: the first to reach the server keeps it.
 */
const person = (id: string, taxId: string, extra: Record<string, unknown> = {}) => ({ id, name: `Cliente ${id}`, taxId, active: true, updatedAt: at, _deleted: false, ...extra });

describe.each(DATABASE_KINDS)('customers duplicate CPF/CNPJ on %s', (kind) => {
  let server: TestServer;
  let bo: BackofficeClient;
  beforeAll(async () => {
    server = await startTestServer(kind);
    bo = await backofficeClient(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Open integration errors of the whole store (the admin's view: a station's user sees its station's only). */
  const storeErrors = async (): Promise<{ documentId: string; reason: string; message: string; resolvedAt: string | null }[]> =>
    (await call(server.url, 'GET', '/api/sync/errors?limit=1000', { token: (await login(server, 'admin', 'admin123')).token })).body;
  const openError = async (documentId: string) => (await storeErrors()).find((entry) => entry.documentId === documentId && !entry.resolvedAt);
  const liveWith = async (taxId: string) => {
    const page = await call(server.url, 'GET', `/api/v1/billing/customers?q=${taxId}&limit=100`, { token: bo.token });
    return (page.body.customers as { id: string; taxId: string }[]).filter((customer) => customer.taxId === taxId).map((customer) => customer.id);
  };

  it('BO-01 a push with a CPF another customer holds is refused for that record only, naming the holder; the rest of the batch is written', async () => {
    const taken = cpf(81_001);
    expect((await bo.push('customers', rows(person('dup-a', taken)))).body).toEqual([]);
    // One upload: a new customer with the held CPF, one repeating a CPF first seen in the same upload, and good ones.
    const fresh = cpf(81_002);
    const answer = await bo.push('customers', rows(person('dup-b', taken), person('dup-c', fresh), person('dup-d', fresh), person('dup-e', cpf(81_003))));
    expect(answer.status).toBe(200);
    expect(await liveWith(taken)).toEqual(['dup-a']);
    expect(await liveWith(fresh)).toEqual(['dup-c']);
    expect(await liveWith(cpf(81_003))).toEqual(['dup-e']);
    expect(await openError('dup-b')).toMatchObject({ reason: 'duplicate_key', message: expect.stringMatching(/already belongs to customer Cliente dup-a \(dup-a\)/) });
    expect(await openError('dup-d')).toMatchObject({ reason: 'duplicate_key', message: expect.stringContaining('dup-c') });
    // Changing a customer while keeping its own CPF is no duplicate.
    expect((await bo.push('customers', [{ newDocumentState: person('dup-a', taken, { city: 'Recife' }), assumedMasterState: person('dup-a', taken) }])).body).toEqual([]);
    expect(await openError('dup-a')).toBeUndefined();
  });

  it('BO-01 the integration API refuses a customer with a held CPF/CNPJ (422, duplicate_key), on create and on change', async () => {
    const taken = cpf(82_001);
    const first = await bo.api('POST', '/customers', { name: 'Primeira', taxId: taken });
    expect(first.status).toBe(201);
    const second = await bo.api('POST', '/customers', { name: 'Segunda', taxId: taken });
    expect(second.status).toBe(422);
    expect(JSON.stringify(second.body)).toMatch(/duplicate_key/);
    expect(JSON.stringify(second.body)).toContain(first.body.id as string);
    const other = await bo.api('POST', '/customers', { name: 'Terceira', taxId: cpf(82_002) });
    expect(other.status).toBe(201);
    const moved = await bo.api('POST', `/customers/${other.body.id as string}`, { taxId: taken });
    expect(moved.status).toBe(422);
    expect(JSON.stringify(moved.body)).toMatch(/duplicate_key/);
    expect(await liveWith(taken)).toEqual([first.body.id]);
    // The generic integration resource too (PUT /api/v1/customers/:id).
    const admin = (await login(server, 'admin', 'admin123')).token;
    const put = await call(server.url, 'PUT', '/api/v1/customers/api-dup', { token: admin, body: { id: 'api-dup', name: 'Via recurso', taxId: taken, active: true, updatedAt: at } });
    expect(put.status).toBe(422);
    expect(await liveWith(taken)).toEqual([first.body.id]);
  });

  it('BO-01 two devices create the same CPF offline: the first upload keeps it, the second device gets the refusal and fixes it by discarding its copy or correcting the CPF', async () => {
    const one = await login(server, 'retaguarda', 'retaguarda123', 'loja1', await pairStation(server, 'cx01'));
    const two = await login(server, 'retaguarda', 'retaguarda123', 'loja1', await pairStation(server, 'cx02'));
    const push = (token: string, docs: Record<string, unknown>[]) => call(server.url, 'POST', '/api/sync/customers/push', { token, body: rows(...docs) });
    const shared = cpf(83_001);
    const typo = cpf(83_002);
    expect((await push(one.token, [person('dev1-maria', shared), person('dev1-joao', typo)])).body).toEqual([]);
    expect((await push(two.token, [person('dev2-maria', shared), person('dev2-joana', typo)])).body).toEqual([]);
    expect(await liveWith(shared)).toEqual(['dev1-maria']);
    expect(await openError('dev2-maria')).toMatchObject({ reason: 'duplicate_key' });
    expect(await openError('dev2-joana')).toMatchObject({ reason: 'duplicate_key' });
    // Device 2 discards its copy of Maria (the server's arrives by pull) and corrects Joana's CPF.
    expect((await push(two.token, [person('dev2-maria', shared, { _deleted: true }), person('dev2-joana', cpf(83_003))])).body).toEqual([]);
    expect(await openError('dev2-maria')).toBeUndefined();
    expect(await openError('dev2-joana')).toBeUndefined();
    expect(await liveWith(shared)).toEqual(['dev1-maria']);
    expect(await liveWith(cpf(83_003))).toEqual(['dev2-joana']);
    // A customer the server keeps is still never deleted.
    await call(server.url, 'POST', '/api/sync/customers/push', { token: one.token, body: [{ newDocumentState: person('dev1-maria', shared, { _deleted: true }), assumedMasterState: person('dev1-maria', shared) }] });
    expect(await openError('dev1-maria')).toMatchObject({ reason: 'not_deletable' });
  });

  it('BO-01 concurrent uploads of one CPF from many devices: exactly one customer keeps it, every other is refused', async () => {
    const shared = cpf(84_001);
    const sessions = await Promise.all(['cx01', 'cx02'].map(async (station) => login(server, 'retaguarda', 'retaguarda123', 'loja1', await pairStation(server, station))));
    const uploads = Array.from({ length: 8 }, (_, index) => call(server.url, 'POST', '/api/sync/customers/push', { token: sessions[index % 2]!.token, body: rows(person(`race-${index}`, shared)) }));
    for (const answer of await Promise.all(uploads)) expect(answer.status).toBe(200);
    const holders = await liveWith(shared);
    expect(holders).toHaveLength(1);
    const refused = (await storeErrors()).filter((entry) => entry.documentId.startsWith('race-') && !entry.resolvedAt);
    expect(refused.map((entry) => entry.reason)).toEqual(Array(7).fill('duplicate_key'));
    expect(new Set([...holders, ...refused.map((entry) => entry.documentId)]).size).toBe(8);
  });
});
