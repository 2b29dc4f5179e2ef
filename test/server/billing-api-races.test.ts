import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backofficeClient, rows, serviceDoc, type BackofficeClient } from './support/backoffice.ts';
import { cpf } from './support/documents.ts';
import { adminToken, call, DATABASE_KINDS, startTestServer, type TestServer } from './support/servers.ts';

/**
 * Billing API changes that depend on what is stored (a partial change, a deactivation, a contract
 * transition with If-Match, a removal) sent at once: each is read and written under the store's lock,
 * so every change answered 200 stands and If-Match refuses all but one write made on the same version.
 * PostgreSQL is where requests interleave (PGlite has one connection); both run the same checks.
 */
describe.each(DATABASE_KINDS)('billing API races on %s', (kind) => {
  let server: TestServer;
  let bo: BackofficeClient;
  const ROUNDS = 5;
  beforeAll(async () => {
    server = await startTestServer(kind);
    bo = await backofficeClient(server);
    expect((await bo.push('backoffice', rows(serviceDoc('race-svc', { unit: 'min', unitPriceCents: 10, includedQuantity: 0 })))).body).toEqual([]);
  });
  afterAll(async () => {
    await server?.close();
  });

  let taxIds = 0;
  const newCustomer = async (name: string): Promise<string> => {
    const created = await bo.api('POST', '/customers', { name, taxId: cpf(8100 + (taxIds += 1)) });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const activeContract = async (code: string): Promise<string> => {
    const contract = await bo.api('POST', '/contracts', { code, customerId: await newCustomer(`Cliente ${code}`), startDate: '2026-10-01', billingDay: 10, lines: [{ serviceId: 'race-svc', quantity: 1 }] });
    expect(contract.status).toBe(201);
    expect((await bo.api('POST', `/contracts/${contract.body.id}/activate`)).body).toMatchObject({ state: 'active' });
    return contract.body.id as string;
  };

  it('BO-03 API-01 two contract transitions sent at once with one If-Match: one applies, the other answers 412', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const id = await activeContract(`CT-RACE-${round}`);
      const etag = (await bo.api('GET', `/contracts/${id}`)).headers.get('etag')!;
      const [suspend, cancel] = await Promise.all([
        bo.api('POST', `/contracts/${id}/suspend`, { reason: 'Inadimplente' }, { 'if-match': etag }),
        bo.api('POST', `/contracts/${id}/cancel`, { reason: 'Pedido do cliente' }, { 'if-match': etag }),
      ]);
      expect([suspend.status, cancel.status].sort()).toEqual([200, 412]);
      const loser = suspend.status === 412 ? suspend : cancel;
      expect(loser.body).toMatchObject({ error: { code: 'precondition_failed' } });
      const now = (await bo.api('GET', `/contracts/${id}`)).body;
      const applied = (now.history as { action: string }[]).map((entry) => entry.action);
      expect(applied).toEqual(['activate', suspend.status === 200 ? 'suspend' : 'cancel']);
      expect(now.state).toBe(suspend.status === 200 ? 'suspended' : 'cancelled');
    }
  });

  it('BO-03 API-01 a contract transition answers the contract\'s new ETag, on which the next transition chains with If-Match', async () => {
    const id = await activeContract('CT-CHAIN');
    const first = (await bo.api('GET', `/contracts/${id}`)).headers.get('etag')!;
    const suspended = await bo.api('POST', `/contracts/${id}/suspend`, { reason: 'Inadimplente' }, { 'if-match': first });
    expect(suspended.status).toBe(200);
    const next = suspended.headers.get('etag');
    expect(next).toBe((await bo.api('GET', `/contracts/${id}`)).headers.get('etag'));
    expect(next).not.toBe(first);
    expect((await bo.api('POST', `/contracts/${id}/resume`, {}, { 'if-match': next! })).body).toMatchObject({ state: 'active' });
  });

  it('BO-01 API-05 changes of one customer sent at once, with its deactivation: every change answered 200 stands and it stays deactivated', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const id = await newCustomer(`Cliente corrida ${round}`);
      const changes: Record<string, string> = { phone: `1198765${4300 + round}`, email: `c${round}@exemplo.com.br`, cep: '01310100', uf: 'SP', city: 'São Paulo', address: `Rua ${round}`, name: `Cliente corrida ${round} Ltda` };
      const answers = await Promise.all([
        ...Object.entries(changes).map(([field, value]) => bo.api('POST', `/customers/${id}`, { [field]: value })),
        bo.api('DELETE', `/customers/${id}`, { reason: 'Encerrou as atividades' }),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
      const now = (await bo.api('GET', `/customers/${id}`)).body;
      expect(now).toMatchObject({ ...changes, active: false, deactivationReason: 'Encerrou as atividades' });
    }
  });

  it('BO-04 API-05 a consumption record removed while changes of it are sent: a removal answered 200 is not undone by a change', async () => {
    const contractId = await activeContract('CT-RACE-USE');
    for (let round = 0; round < ROUNDS; round += 1) {
      const created = await bo.api('POST', '/consumption', { externalId: `RACE-${round}`, contractId, serviceId: 'race-svc', quantity: 10, date: '2026-11-05' });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const answers = await Promise.all([
        ...[11, 12, 13, 14].map((quantity) => bo.api('PUT', `/consumption/${id}`, { serviceId: 'race-svc', quantity, date: '2026-11-05' })),
        bo.api('DELETE', `/consumption/${id}`),
      ]);
      const removed = answers.at(-1)!;
      expect(removed.status).toBe(200);
      // A change committed after the removal finds nothing to change (404); one before it is removed with it.
      for (const change of answers.slice(0, -1)) expect([200, 404]).toContain(change.status);
      expect((await bo.api('GET', `/consumption/${id}`)).status).toBe(404);
    }
  });

  it('API-01 API-05 a document deleted while a PUT of it is sent: the deletion keeps what the PUT answered 200 wrote, not an older read', async () => {
    const admin = await adminToken(server);
    for (let round = 0; round < ROUNDS; round += 1) {
      const id = `race-seller-${round}`;
      const seller = { id, kind: 'seller', code: `RS${round}`, name: 'Vendedor', active: true };
      expect((await call(server.url, 'PUT', `/api/v1/masterdata/${id}`, { token: admin, body: seller })).status).toBe(200);
      const [put, deleted] = await Promise.all([
        call(server.url, 'PUT', `/api/v1/masterdata/${id}`, { token: admin, body: { ...seller, name: 'Vendedor renomeado' } }),
        call(server.url, 'DELETE', `/api/v1/masterdata/${id}`, { token: admin }),
      ]);
      expect([put.status, deleted.status]).toEqual([200, 200]);
      // Either order is a serial one: deleted after the PUT (its name kept), or brought back by it.
      expect((await call(server.url, 'GET', `/api/v1/masterdata/${id}`, { token: admin })).body).toMatchObject({ name: 'Vendedor renomeado' });
    }
  });
});
