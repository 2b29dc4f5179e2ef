import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backofficeClient, contractDoc, customer, expectRunAgreesWithRule, requestDoc, rows, serviceDoc, usageDoc, type BackofficeClient } from './support/backoffice.ts';
import { dayOf, PERIODS } from './support/periods.ts';
import { call, DATABASE_KINDS, login, startTestServer, type TestServer } from './support/servers.ts';

// The month billed is the one the tests run in: contracts are activated by the real clock (support/periods.ts).
const { previous: PREV, current: CUR, next: NEXT, afterNext: NEXT2 } = PERIODS;

describe.each(DATABASE_KINDS)('back office on %s', (kind) => {
  let server: TestServer;
  let bo: BackofficeClient;
  beforeAll(async () => {
    server = await startTestServer(kind);
    bo = await backofficeClient(server);
    expect((await bo.push('customers', rows(customer(1), customer(2), customer(3)))).body).toEqual([]);
    expect((await bo.push('backoffice', rows(serviceDoc('fee'), serviceDoc('min', { monthlyFeeCents: 1000, unit: 'min', unitPriceCents: 12, includedQuantity: 100 }), serviceDoc('spare')))).body).toEqual([]);
  });
  afterAll(async () => {
    await server?.close();
  });

  const errorOf = async (documentId: string) => (await bo.errors()).find((entry) => entry.documentId === documentId && !entry.resolvedAt);

  it('BO-01 customers through the API: add with normalised contact fields, change, get, list; bad input is a 400 naming the field', async () => {
    const added = await bo.api('POST', '/customers', { name: 'Empresa Nova', taxId: '12ABC34501DE35', phone: '(11) 98765-4321', cep: '01310-100', uf: 'SP', email: 'a@b.com.br' });
    expect(added.status).toBe(400); // the schema takes the stored CEP form
    const created = await bo.api('POST', '/customers', { name: 'Empresa Nova', taxId: '12ABC34501DE35', phone: '(11) 98765-4321', cep: '01310100', uf: 'SP', email: ' a@b.com.br ' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Empresa Nova', taxId: '12ABC34501DE35', phone: '11987654321', cep: '01310100', email: 'a@b.com.br', active: true });
    const badPhone = await bo.api('POST', `/customers/${created.body.id}`, { phone: '123' });
    expect(badPhone).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', field: '/phone' } } });
    const changed = await bo.api('POST', `/customers/${created.body.id}`, { city: 'São Paulo' });
    expect(changed.body).toMatchObject({ city: 'São Paulo', phone: '11987654321' });
    expect((await bo.api('GET', `/customers/${created.body.id}`)).body).toEqual(changed.body);
    const listed = await bo.api('GET', '/customers?q=empresa');
    expect(listed.body.customers.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
    const badCnpj = await bo.api('POST', '/customers', { name: 'X', taxId: '12ABC34501DE36' });
    expect(badCnpj).toMatchObject({ status: 400, body: { error: { field: '/taxId' } } });
    const cashier = await login(server, 'caixa', 'caixa123');
    expect((await call(server.url, 'GET', '/api/v1/billing/customers', { token: cashier.token })).status).toBe(403);
  });

  it('BO-01 a customer is never deleted; deactivation needs a reason', async () => {
    const deleted = { ...customer(3), _deleted: true };
    // A refused change is answered with the server's version, which the device takes back (issue 11).
    expect((await bo.push('customers', [{ newDocumentState: deleted, assumedMasterState: customer(3) }])).body).toMatchObject([{ id: 'bo-cust-3', active: true, _deleted: false }]);
    expect(await errorOf('bo-cust-3')).toMatchObject({ reason: 'not_deletable', message: expect.stringMatching(/Deactivate the customer with a reason instead/) });
    expect((await bo.push('customers', [{ newDocumentState: { ...customer(3), active: false }, assumedMasterState: customer(3) }])).body).toMatchObject([{ id: 'bo-cust-3', active: true }]);
    expect(await errorOf('bo-cust-3')).toMatchObject({ reason: 'invalid_value', message: expect.stringMatching(/deactivationReason: A deactivated customer needs a reason/) });
    const removed = await bo.api('DELETE', '/customers/bo-cust-3', { reason: 'Encerrou as atividades' });
    expect(removed.body).toMatchObject({ active: false, deactivationReason: 'Encerrou as atividades', deactivatedBy: 'loja1-retaguarda' });
    expect(await errorOf('bo-cust-3')).toBeUndefined();
  });

  it('BO-03 contracts: add as draft, then activate, suspend, resume and cancel through the API; history keeps who, when and why', async () => {
    const created = await bo.api('POST', '/contracts', { id: 'ct-api', code: 'CT-API', customerId: 'bo-cust-1', startDate: dayOf(PREV, 1), billingDay: 5, lines: [{ serviceId: 'fee', quantity: 1 }, { serviceId: 'min', quantity: 2 }] });
    expect(created).toMatchObject({ status: 201, body: { state: 'draft', history: [] } });
    expect((await bo.api('POST', '/contracts/ct-api/suspend', { reason: 'teste' })).body).toMatchObject({
      error: { code: 'quarantined', message: expect.stringMatching(/A draft contract cannot become suspended\. From draft it can only become: active, cancelled/) },
    });
    expect((await bo.api('POST', '/contracts/ct-api/activate')).body).toMatchObject({ state: 'active' });
    expect((await bo.api('POST', '/contracts/ct-api/suspend', {})).body).toMatchObject({ error: { message: expect.stringMatching(/say why/) } });
    expect((await bo.api('POST', '/contracts/ct-api/suspend', { reason: 'Inadimplente' })).body).toMatchObject({ state: 'suspended' });
    expect((await bo.api('POST', '/contracts/ct-api/resume')).body).toMatchObject({ state: 'active' });
    const cancelled = await bo.api('POST', '/contracts/ct-api/cancel', { reason: 'Pedido do cliente', effectiveDate: dayOf(NEXT, 1) });
    expect(cancelled.body.state).toBe('cancelled');
    expect(cancelled.body.history.map((entry: { action: string; from: string; to: string; userId: string; reason?: string }) => [entry.action, entry.from, entry.to, entry.userId, entry.reason ?? null])).toEqual([
      ['activate', 'draft', 'active', 'loja1-retaguarda', null],
      ['suspend', 'active', 'suspended', 'loja1-retaguarda', 'Inadimplente'],
      ['resume', 'suspended', 'active', 'loja1-retaguarda', null],
      ['cancel', 'active', 'cancelled', 'loja1-retaguarda', 'Pedido do cliente'],
    ]);
    expect(cancelled.body.history[3]).toMatchObject({ effectiveDate: dayOf(NEXT, 1), at: expect.any(String), requestedAt: expect.any(String), requestId: expect.any(String) });
    expect((await bo.api('POST', '/contracts/ct-api/activate')).body.error.message).toMatch(/cancelled contract cannot change; create a new contract/);
    expect((await bo.api('GET', '/contracts?customerId=bo-cust-1')).body.contracts.map((c: { id: string }) => c.id)).toContain('ct-api');
  });

  it('BO-03 requests made offline apply in upload order, also when they arrive before their contract; a device cannot set the state itself', async () => {
    // The requests' collection uploads first: they wait for the contract and apply when it arrives.
    expect((await bo.push('backofficeActions', rows(requestDoc('rq-1', 'ct-off', 'activate'), requestDoc('rq-2', 'ct-off', 'suspend', { reason: 'Férias' }), requestDoc('rq-3', 'ct-off', 'resume')))).status).toBe(200);
    expect((await errorOf('rq-1'))?.reason).toBe('unknown_reference');
    expect((await bo.push('backoffice', rows(contractDoc('ct-off', 'bo-cust-2', [['fee', 1], ['min', 1]])))).body).toEqual([]);
    const contract = (await bo.api('GET', '/contracts/ct-off')).body;
    expect(contract.state).toBe('active');
    expect(contract.history.map((entry: { requestId: string }) => entry.requestId)).toEqual(['rq-1', 'rq-2', 'rq-3']);
    expect(await errorOf('rq-1')).toBeUndefined();
    // The same request sent again (lost answer) changes nothing.
    expect((await bo.push('backofficeActions', rows(requestDoc('rq-3', 'ct-off', 'resume')))).status).toBe(200);
    expect((await bo.api('GET', '/contracts/ct-off')).body.history).toHaveLength(3);
    // State and history are the server's.
    const forged = { ...contract, state: 'cancelled', _deleted: false };
    expect((await bo.push('backoffice', [{ newDocumentState: forged, assumedMasterState: { ...contract, _deleted: false } }])).body).toMatchObject([{ id: 'ct-off', state: 'active' }]);
    expect(await errorOf('ct-off')).toMatchObject({ reason: 'invalid_transition', message: expect.stringMatching(/change only through requests/) });
  });

  it('BO-02 a service a contract uses cannot be deleted (deactivate instead); an unused one can; codes are unique', async () => {
    const min = serviceDoc('min', { monthlyFeeCents: 1000, unit: 'min', unitPriceCents: 12, includedQuantity: 100 });
    expect((await bo.push('backoffice', [{ newDocumentState: { ...min, _deleted: true }, assumedMasterState: min }])).body).toMatchObject([{ id: 'min', _deleted: false }]);
    expect(await errorOf('min')).toMatchObject({ reason: 'in_use', message: expect.stringMatching(/used by contract .* Deactivate it instead/) });
    expect((await bo.api('GET', '/services/min')).status).toBe(200);
    expect((await bo.push('backoffice', [{ newDocumentState: { ...serviceDoc('spare'), _deleted: true }, assumedMasterState: serviceDoc('spare') }])).body).toEqual([]);
    expect((await bo.api('GET', '/services/spare')).status).toBe(404);
    expect((await bo.push('backoffice', rows(serviceDoc('dup', { code: 'FEE' })))).status).toBe(200);
    expect(await errorOf('dup')).toMatchObject({ reason: 'duplicate_key' });
    expect((await bo.api('GET', '/services')).body.services.map((s: { code: string }) => s.code)).toEqual(['FEE', 'MIN']);
  });

  it('BO-01 POS-07 a refused edit stays open when another device edits the customer; its own device\'s fix settles it', async () => {
    const stored = { ...customer(7), email: 'antigo@example.com' };
    expect((await bo.push('customers', rows(stored))).body).toEqual([]);
    // Device A: a new e-mail and a deactivation without its reason. Refused, and A goes back to the server's version.
    const refused = { ...stored, email: 'novo@example.com', active: false, updatedAt: '2026-11-21T10:00:00.000Z' };
    expect((await bo.push('customers', [{ newDocumentState: refused, assumedMasterState: stored }])).body).toMatchObject([{ id: 'bo-cust-7', email: 'antigo@example.com' }]);
    expect(await errorOf('bo-cust-7')).toMatchObject({ reason: 'invalid_value', document: { email: 'novo@example.com' } });

    // Device B (another login of the same user) changes only the phone: written, and A's refused edit still open, as A sent it.
    const deviceB = await backofficeClient(server);
    const phoned = { ...stored, phone: '11922222222', updatedAt: '2026-11-21T10:05:00.000Z' };
    expect((await deviceB.push('customers', [{ newDocumentState: phoned, assumedMasterState: stored }])).body).toEqual([]);
    expect((await bo.api('GET', '/customers/bo-cust-7')).body).toMatchObject({ phone: '11922222222', email: 'antigo@example.com', active: true });
    expect(await errorOf('bo-cust-7')).toMatchObject({ reason: 'invalid_value', document: { email: 'novo@example.com', active: false } });

    // A fixes it from the server's version it now holds: written, and the refusal settled.
    const fixed = { ...phoned, email: 'novo@example.com', active: false, deactivationReason: 'Encerrou as atividades', updatedAt: '2026-11-21T10:10:00.000Z' };
    expect((await bo.push('customers', [{ newDocumentState: fixed, assumedMasterState: phoned }])).body).toEqual([]);
    expect((await bo.api('GET', '/customers/bo-cust-7')).body).toMatchObject({ phone: '11922222222', email: 'novo@example.com', active: false });
    expect(await errorOf('bo-cust-7')).toBeUndefined();

    // A device still holding the refused version fixes it too (it assumes that version), whichever device it is.
    const bad = { ...customer(8), active: false };
    expect((await bo.push('customers', rows(customer(8)))).body).toEqual([]);
    await bo.push('customers', [{ newDocumentState: bad, assumedMasterState: customer(8) }]);
    // The version kept is the refused one as the server judged it (the deactivation stamped).
    const kept = (await errorOf('bo-cust-8'))!.document;
    expect(kept).toMatchObject({ active: false, deactivatedBy: 'loja1-retaguarda' });
    expect((await deviceB.push('customers', [{ newDocumentState: { ...kept, deactivationReason: 'Mudou de cidade' }, assumedMasterState: kept }])).body).toEqual([]);
    expect(await errorOf('bo-cust-8')).toBeUndefined();
  });

  it("BO-01 POS-07 a refused edit is never settled by retrying another device's edit conflict, and is settled by its user's fix after signing in again", async () => {
    const stored = { ...customer(9), email: 'antigo@example.com', phone: '11900000000' };
    expect((await bo.push('customers', rows(stored))).body).toEqual([]);
    const refused = { ...stored, email: 'novo@example.com', active: false, updatedAt: '2026-11-21T10:00:00.000Z' };
    await bo.push('customers', [{ newDocumentState: refused, assumedMasterState: stored }]);
    expect(await errorOf('bo-cust-9')).toMatchObject({ reason: 'invalid_value', document: { email: 'novo@example.com' } });
    // C changes the phone online; B, offline, changed it too: merged, B's phone kept as an edit conflict.
    const [deviceB, deviceC] = [await backofficeClient(server), await backofficeClient(server)];
    const phonedC = { ...stored, phone: '11933333333', updatedAt: '2026-11-21T10:01:00.000Z' };
    expect((await deviceC.push('customers', [{ newDocumentState: phonedC, assumedMasterState: stored }])).body).toEqual([]);
    await deviceB.push('customers', [{ newDocumentState: { ...stored, phone: '11922222222', updatedAt: '2026-11-21T10:02:00.000Z' }, assumedMasterState: stored }]);
    const conflict = (await bo.errors()).find((entry) => entry.reason === 'edit_conflict' && !entry.resolvedAt && entry.document.id === 'bo-cust-9');
    if (!conflict) throw new Error("B's edit conflict was not kept");
    // "Tentar de novo" on B's entry writes B's phone and settles that entry only: A's refused change is still open.
    expect((await call(server.url, 'POST', `/api/sync/errors/${conflict.id}/retry`, { token: deviceB.token })).body.resolvedAt).not.toBeNull();
    expect((await bo.api('GET', '/customers/bo-cust-9')).body).toMatchObject({ phone: '11922222222', email: 'antigo@example.com', active: true });
    expect(await errorOf('bo-cust-9')).toMatchObject({ reason: 'invalid_value', document: { email: 'novo@example.com', active: false } });
    // A's user signs in again (a new session: another sender) and corrects it from the server's version ("Corrigir"): settled.
    const again = await backofficeClient(server);
    const master = (await call(server.url, 'GET', '/api/sync/customers/pull?checkpoint=0&limit=1000', { token: again.token })).body.documents.find((doc: { id: string }) => doc.id === 'bo-cust-9');
    const fixed = { ...master, email: 'novo@example.com', active: false, deactivationReason: 'Encerrou as atividades', updatedAt: '2026-11-21T10:10:00.000Z' };
    expect((await again.push('customers', [{ newDocumentState: fixed, assumedMasterState: master }])).body).toEqual([]);
    expect((await bo.api('GET', '/customers/bo-cust-9')).body).toMatchObject({ phone: '11922222222', email: 'novo@example.com', active: false });
    expect(await errorOf('bo-cust-9')).toBeUndefined();
  });

  it('BO-01 POS-07 a first upload sent again after its answer was lost keeps no edit conflict, also when the server stamped it', async () => {
    const created = [customer(21), { ...customer(22), active: false, deactivationReason: 'Cadastro antigo' }];
    for (const doc of created) {
      for (let attempt = 0; attempt < 3; attempt++) expect((await bo.push('customers', rows(doc))).status).toBe(200);
      expect((await bo.errors()).filter((entry) => entry.document.id === doc.id && !entry.resolvedAt)).toEqual([]);
    }
    // The server's version is what the device gets back: the deactivation stamped with its author.
    expect((await bo.api('GET', '/customers/bo-cust-22')).body).toMatchObject({ active: false, deactivatedBy: 'loja1-retaguarda' });
    // A changed document sent without the version it saw is still kept for the user, never dropped.
    await bo.push('customers', rows({ ...customer(21), email: 'outro@example.com' }));
    expect((await bo.errors()).filter((entry) => entry.document.id === 'bo-cust-21' && entry.reason === 'edit_conflict' && !entry.resolvedAt)).toHaveLength(1);
  });

  it('BO-04 consumption: idempotent by external id; usage for a contract cancelled meanwhile is kept with its reason and fixable', async () => {
    const first = await bo.api('POST', '/consumption', { externalId: 'ERP-1', contractId: 'ct-off', serviceId: 'min', quantity: 30, date: dayOf(CUR, 3) });
    expect(first.status).toBe(201);
    const again = await bo.api('POST', '/consumption', { externalId: 'ERP-1', contractId: 'ct-off', serviceId: 'min', quantity: 30, date: dayOf(CUR, 3) });
    expect(again).toMatchObject({ status: 200, body: { id: first.body.id } });
    expect((await bo.api('GET', '/consumption?contractId=ct-off')).body.consumption).toHaveLength(1);
    // A device sending another record with the same external id does not count it twice.
    expect((await bo.push('consumption', rows(usageDoc('dev-dup', 'ct-off', 'min', 30, dayOf(CUR, 3), { externalId: 'ERP-1' })))).status).toBe(200);
    expect(await errorOf('dev-dup')).toMatchObject({ reason: 'duplicate_key' });

    // Cancelled on the server while a device was offline; the device's usage then arrives.
    expect((await bo.api('POST', '/contracts', { id: 'ct-gone', code: 'CT-GONE', customerId: 'bo-cust-2', startDate: dayOf(PREV, 1), billingDay: 10, lines: [{ serviceId: 'min', quantity: 1 }] })).status).toBe(201);
    await bo.api('POST', '/contracts/ct-gone/activate');
    await bo.api('POST', '/contracts/ct-gone/cancel', { reason: 'Fim', effectiveDate: dayOf(CUR, 10) });
    const late = usageDoc('late-1', 'ct-gone', 'min', 5, dayOf(CUR, 12));
    expect((await bo.push('consumption', rows(late))).body).toEqual([]);
    expect(await errorOf('late-1')).toMatchObject({ reason: 'contract_cancelled', message: expect.stringMatching(new RegExp(`cancelled effective ${dayOf(CUR, 10)}`)), document: expect.objectContaining({ quantity: 5 }) });
    // Fixed on the device (the usage was before the cancellation) and sent again: accepted, entry settled.
    const fixed = { ...late, date: dayOf(CUR, 9) };
    expect((await bo.push('consumption', [{ newDocumentState: fixed, assumedMasterState: late }])).body).toEqual([]);
    expect(await errorOf('late-1')).toBeUndefined();
    expect((await bo.api('GET', '/consumption/late-1')).body).toMatchObject({ date: dayOf(CUR, 9) });
    // An impossible day is refused (and kept), never stored to break the billing run.
    expect((await bo.api('POST', '/consumption', { externalId: 'ERP-BADDAY', contractId: 'ct-off', serviceId: 'min', quantity: 1, date: '2026-02-31' })).body.error.message).toMatch(/does not exist/);
    const viaApi = await bo.api('POST', '/consumption', { externalId: 'ERP-LATE', contractId: 'ct-gone', serviceId: 'min', quantity: 1, date: dayOf(CUR, 20) });
    expect(viaApi).toMatchObject({ status: 422, body: { error: { code: 'quarantined', message: expect.stringMatching(/contract_cancelled/) } } });
  });

  it('BO-05 the billing run charges what the rules say, to the cent, and a second run adds nothing', async () => {
    // ct-off: active; fee 50.00 + min 10.00 fee; usage 30 (ERP-1) + 170 = 200 → 100 beyond the included 100 at 0.12.
    expect((await bo.push('consumption', rows(usageDoc('u-1', 'ct-off', 'min', 170, dayOf(CUR, 20)), usageDoc('u-oct', 'ct-off', 'min', 999, dayOf(PREV, 31))))).body).toEqual([]);
    const run = await bo.api('POST', '/billing-runs', { period: CUR });
    expect(run.status).toBe(200);
    const listed = await bo.api('GET', `/receivables?period=${CUR}`);
    const byContract = Object.fromEntries(listed.body.receivables.map((r: { contractId: string }) => [r.contractId, r]));
    expect(byContract['ct-off']).toMatchObject({ customerId: 'bo-cust-2', amountCents: 5000 + 1000 + 100 * 12, dueDate: dayOf(NEXT, 10), status: 'open', period: CUR });
    // ct-gone: cancelled effective on the 10th of this month → no fee; usage 5 within the included 100 → nothing due.
    expect(byContract['ct-gone']).toBeUndefined();
    // ct-api: cancelled effective on the 1st of next month, so active at this month's end → fee 50.00 + 2 × 10.00; no usage.
    expect(byContract['ct-api']).toMatchObject({ amountCents: 7000, dueDate: dayOf(NEXT, 5) });

    // The SQL run and the shared rule agree on every contract (also at a month's boundary: billing-store-calendar.test.ts).
    await expectRunAgreesWithRule(bo, CUR);
    expect(run.body).toEqual({ period: CUR, created: listed.body.receivables.length, amountCents: listed.body.totals.amountCents, refused: [] });
    expect((await bo.api('POST', '/billing-runs', { period: CUR })).body).toEqual({ period: CUR, created: 0, amountCents: 0, refused: [] });
    expect((await bo.api('GET', `/receivables?period=${CUR}`)).body.receivables).toHaveLength(listed.body.receivables.length);
  });

  it('BO-04 a record of a billed period cannot change or be removed; a correcting record in an open period can', async () => {
    const change = { ...usageDoc('u-1', 'ct-off', 'min', 150, dayOf(CUR, 20)) };
    expect((await bo.push('consumption', [{ newDocumentState: change, assumedMasterState: usageDoc('u-1', 'ct-off', 'min', 170, dayOf(CUR, 20)) }])).body).toMatchObject([{ id: 'u-1', quantity: 170 }]);
    expect(await errorOf('u-1')).toMatchObject({ reason: 'billed_period', message: expect.stringMatching(new RegExp(`period ${CUR}, which is already billed.*Make a correcting record`)) });
    expect((await bo.api('DELETE', '/consumption/u-1')).body).toMatchObject({ error: { code: 'quarantined', message: expect.stringMatching(/cannot be removed/) } });
    expect((await bo.api('PUT', '/consumption/u-1', { serviceId: 'min', quantity: 150, date: dayOf(CUR, 20) })).status).toBe(422);
    expect((await bo.api('POST', '/consumption', { externalId: 'NEW-NOV', contractId: 'ct-off', serviceId: 'min', quantity: 1, date: dayOf(CUR, 30) })).body.error.message).toMatch(/already billed/);
    const correction = await bo.api('POST', '/consumption', { externalId: 'FIX-1', contractId: 'ct-off', serviceId: 'min', quantity: -20, date: dayOf(NEXT, 1), correctsId: 'u-1' });
    expect(correction).toMatchObject({ status: 201, body: { quantity: -20, correctsId: 'u-1' } });
    expect((await bo.api('GET', '/consumption/u-1')).body.quantity).toBe(170);
    // Last month was never billed: its record still changes.
    expect((await bo.api('PUT', '/consumption/u-oct', { serviceId: 'min', quantity: 998, date: dayOf(PREV, 31) })).body.quantity).toBe(998);
  });

  it('BO-01 a customer with open receivables cannot be deactivated; paid, it can', async () => {
    const refused = await bo.api('DELETE', '/customers/bo-cust-2', { reason: 'Mudou-se' });
    expect(refused).toMatchObject({ status: 422, body: { error: { message: expect.stringMatching(/1 open receivable\(s\) totalling R\$\s?72,00.*Receive or cancel those receivables first/) } } });
    expect((await bo.api('GET', '/customers/bo-cust-2')).body.active).toBe(true);
    const receivable = (await bo.api('GET', '/receivables?customerId=bo-cust-2')).body.receivables[0];
    expect((await bo.api('POST', `/receivables/${receivable.id}/cancel`, {})).status).toBe(400);
    // A payment an hour ago: the server refuses instants far in the future (clock checks), so the date follows the clock.
    const paidAt = new Date(Date.now() - 3_600_000).toISOString();
    const paid = await bo.api('POST', `/receivables/${receivable.id}/pay`, { paidAt });
    expect(paid.body).toMatchObject({ status: 'paid', paidAt, changedBy: 'loja1-retaguarda' });
    expect((await bo.api('POST', `/receivables/${receivable.id}/pay`, {})).body.paidAt).toBe(paidAt);
    expect((await bo.api('POST', `/receivables/${receivable.id}/cancel`, { reason: 'erro' })).status).toBe(409);
    expect((await bo.api('DELETE', '/customers/bo-cust-2', { reason: 'Mudou-se' })).body).toMatchObject({ active: false, deactivationReason: 'Mudou-se' });
  });

  it('BO-05 receivables filters and totals, to the cent; overdue is derived; cancel needs a reason', async () => {
    // Next month for ct-off: fee 60.00, usage −20 (the correction) → 60.00; status filter and totals.
    expect((await bo.api('POST', '/billing-runs', { period: NEXT })).body.created).toBeGreaterThan(0);
    const all = (await bo.api('GET', '/receivables')).body;
    const sum = all.receivables.reduce((total: number, r: { amountCents: number }) => total + r.amountCents, 0);
    expect(all.totals.amountCents).toBe(sum);
    expect(all.totals.count).toBe(all.receivables.length);
    const december = (await bo.api('GET', `/receivables?period=${NEXT}&customerId=bo-cust-2`)).body;
    expect(december.receivables).toEqual([expect.objectContaining({ contractId: 'ct-off', amountCents: 6000, dueDate: dayOf(NEXT2, 10) })]);
    const cancelled = await bo.api('POST', `/receivables/${december.receivables[0].id}/cancel`, { reason: 'Cortesia' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'Cortesia' });
    const byStatus = (await bo.api('GET', '/receivables?status=cancelled')).body;
    expect(byStatus.totals).toMatchObject({ count: 1, amountCents: 6000, byStatus: { cancelled: { count: 1, amountCents: 6000 }, open: { count: 0, amountCents: 0 } } });
    // Open and due before today → overdue: usage of January 2025 (150 min, 50 beyond the included 100), due 2025-02-10.
    // (On a contract that had started by then: usage before a contract's start is refused.)
    expect((await bo.push('backoffice', rows(contractDoc('ct-old', 'bo-cust-2', [['min', 1]], { startDate: '2024-12-01' })))).body).toEqual([]);
    expect((await bo.push('consumption', rows(usageDoc('u-2025', 'ct-old', 'min', 150, '2025-01-15')))).body).toEqual([]);
    expect((await bo.api('POST', '/billing-runs', { period: '2025-01' })).body).toEqual({ period: '2025-01', created: 1, amountCents: 50 * 12, refused: [] });
    const overdue = (await bo.api('GET', '/receivables?status=overdue')).body;
    expect(overdue.receivables).toEqual([expect.objectContaining({ period: '2025-01', dueDate: '2025-02-10', status: 'overdue', amountCents: 600 })]);
    expect(overdue.totals.byStatus.overdue).toEqual({ count: 1, amountCents: 600 });
    expect((await bo.api('GET', '/receivables?status=open&period=2025-01')).body.receivables).toEqual([]);
    expect((await bo.api('GET', '/receivables?dueFrom=2026-02-31')).body).toMatchObject({ error: { code: 'validation_failed', field: 'dueFrom' } });
    const range = (await bo.api('GET', `/receivables?dueFrom=${dayOf(NEXT, 6)}&dueTo=${dayOf(NEXT, 31)}`)).body;
    expect(range.receivables.map((r: { dueDate: string }) => r.dueDate)).toEqual([dayOf(NEXT, 10)]);
    // Paging keeps the totals of the whole selection.
    const whole = (await bo.api('GET', '/receivables')).body;
    const page = (await bo.api('GET', '/receivables?limit=1')).body;
    expect(page.receivables).toHaveLength(1);
    expect(page.totals).toEqual(whole.totals);
    const next = (await bo.api('GET', `/receivables?limit=100&cursor=${page.nextCursor}`)).body;
    expect([...page.receivables, ...next.receivables].map((r: { id: string }) => r.id)).toEqual(whole.receivables.map((r: { id: string }) => r.id));
  });

  it('BO-01 BO-03 two devices change the same customer offline: disjoint fields merge, a field both changed is kept for the user to re-apply', async () => {
    const base = { ...customer(1), city: 'Santos' };
    expect((await bo.push('customers', [{ newDocumentState: base, assumedMasterState: customer(1) }])).body).toEqual([]);
    const deviceA = { ...base, phone: '11987654321', city: 'Campinas', updatedAt: '2026-11-05T00:00:00.000Z' };
    const deviceB = { ...base, name: 'Cliente Renomeado', city: 'Sorocaba', updatedAt: '2026-11-06T00:00:00.000Z' };
    expect((await bo.push('customers', [{ newDocumentState: deviceA, assumedMasterState: base }])).body).toEqual([]);
    // B assumed the old version: no conflict answer (which would drop B's change) but a merge.
    expect((await bo.push('customers', [{ newDocumentState: deviceB, assumedMasterState: base }])).body).toEqual([]);
    expect((await bo.api('GET', '/customers/bo-cust-1')).body).toMatchObject({ name: 'Cliente Renomeado', phone: '11987654321', city: 'Campinas', updatedAt: '2026-11-06T00:00:00.000Z' });
    const kept = (await bo.errors()).find((entry) => entry.documentId.startsWith('bo-cust-1:edit-conflict:') && !entry.resolvedAt)!;
    expect(kept).toMatchObject({ reason: 'edit_conflict', message: expect.stringMatching(/city: this device "Sorocaba", kept "Campinas"/), document: expect.objectContaining({ city: 'Sorocaba', name: 'Cliente Renomeado', phone: '11987654321' }) });
    // The same upload retried (lost answer) adds no second entry.
    await bo.push('customers', [{ newDocumentState: deviceB, assumedMasterState: base }]);
    expect((await bo.errors()).filter((entry) => entry.documentId.startsWith('bo-cust-1:edit-conflict:'))).toHaveLength(1);
    // The user chooses B's value: Retry applies it and settles the entry.
    const retried = await call(server.url, 'POST', `/api/sync/errors/${kept.id}/retry`, { token: bo.token });
    expect(retried.body.resolvedAt).not.toBeNull();
    expect((await bo.api('GET', '/customers/bo-cust-1')).body).toMatchObject({ name: 'Cliente Renomeado', phone: '11987654321', city: 'Sorocaba' });
  });

  it('BO-03 two devices change different lines of the same contract offline: both changes stay', async () => {
    const master = { ...(await bo.api('GET', '/contracts/ct-off')).body, _deleted: false };
    const lineA = master.lines.map((line: { serviceId: string }) => (line.serviceId === 'fee' ? { ...line, quantity: 3 } : line));
    const lineB = master.lines.map((line: { serviceId: string }) => (line.serviceId === 'min' ? { ...line, unitPriceOverrideCents: 9 } : line));
    expect((await bo.push('backoffice', [{ newDocumentState: { ...master, lines: lineA }, assumedMasterState: master }])).body).toEqual([]);
    expect((await bo.push('backoffice', [{ newDocumentState: { ...master, lines: lineB, name: 'Plano B' }, assumedMasterState: master }])).body).toEqual([]);
    const merged = (await bo.api('GET', '/contracts/ct-off')).body;
    expect(merged.lines.map((line: { serviceId: string; quantity: number; unitPriceOverrideCents?: number }) => [line.serviceId, line.quantity, line.unitPriceOverrideCents ?? null])).toEqual([
      ['fee', 3, null],
      ['min', 1, 9],
    ]);
    expect(merged).toMatchObject({ name: 'Plano B', state: 'active', history: master.history });
  });

  describe('two devices change the same usage record offline', () => {
    // A contract of its own: no billing run of this file ever covers it, so its records stay changeable.
    beforeAll(async () => {
      expect((await bo.push('backoffice', rows(contractDoc('ct-merge', 'bo-cust-3', [['min', 1]])))).body).toEqual([]);
    });
    const conflictsOf = async (id: string) => (await bo.errors()).filter((entry) => entry.documentId.startsWith(`${id}:edit-conflict:`));
    const retry = async (entryId: string) => (await call(server.url, 'POST', `/api/sync/errors/${entryId}/retry`, { token: bo.token })).body;

    it('BO-04 disjoint fields merge: one device corrects the quantity, the other the date, both stay', async () => {
      const base = usageDoc('mg-1', 'ct-merge', 'min', 10, '2026-11-20');
      expect((await bo.push('consumption', rows(base))).body).toEqual([]);
      const deviceA = { ...base, quantity: 12, updatedAt: '2026-11-21T09:00:00.000Z' };
      const deviceB = { ...base, date: '2026-11-19', userId: 'loja1-admin', updatedAt: '2026-11-21T09:05:00.000Z' };
      expect((await bo.push('consumption', [{ newDocumentState: deviceA, assumedMasterState: base }])).body).toEqual([]);
      // B assumed the old version: no conflict answer (which would drop B's change) but a merge.
      expect((await bo.push('consumption', [{ newDocumentState: deviceB, assumedMasterState: base }])).body).toEqual([]);
      // Who edited last goes with the later edit, and is no conflict.
      expect((await bo.api('GET', '/consumption/mg-1')).body).toMatchObject({ quantity: 12, date: '2026-11-19', userId: 'loja1-admin', updatedAt: deviceB.updatedAt });
      expect(await conflictsOf('mg-1')).toEqual([]);
    });

    it('BO-04 POS-07 both devices change the quantity: the first upload keeps it, the other device\'s version is kept in integration errors, once, and Retry applies it', async () => {
      const base = usageDoc('mg-2', 'ct-merge', 'min', 10, '2026-11-20');
      expect((await bo.push('consumption', rows(base))).body).toEqual([]);
      const deviceA = { ...base, quantity: 12, updatedAt: '2026-11-21T09:00:00.000Z' };
      const deviceB = { ...base, quantity: 15, description: 'Recontado', updatedAt: '2026-11-21T09:05:00.000Z' };
      expect((await bo.push('consumption', [{ newDocumentState: deviceA, assumedMasterState: base }])).body).toEqual([]);
      await bo.push('consumption', [{ newDocumentState: deviceB, assumedMasterState: base }]);
      expect((await bo.api('GET', '/consumption/mg-2')).body).toMatchObject({ quantity: 12, description: 'Recontado' });
      const [kept, ...more] = await conflictsOf('mg-2');
      expect(more).toEqual([]);
      expect(kept).toMatchObject({ reason: 'edit_conflict', resolvedAt: null, message: expect.stringMatching(/quantity: this device "15", kept "12"/), document: expect.objectContaining({ id: 'mg-2', quantity: 15, description: 'Recontado' }) });
      // The same upload retried (lost answer) adds no second entry; now nothing of B's is written, so B is told the server's version.
      expect((await bo.push('consumption', [{ newDocumentState: deviceB, assumedMasterState: base }])).body).toMatchObject([{ id: 'mg-2', quantity: 12 }]);
      expect(await conflictsOf('mg-2')).toHaveLength(1);
      expect((await retry(kept!.id)).resolvedAt).not.toBeNull();
      expect((await bo.api('GET', '/consumption/mg-2')).body).toMatchObject({ quantity: 15, description: 'Recontado' });
    });

    it('BO-04 POS-07 a removal against an edit: the server keeps the first, the other device\'s version is kept in integration errors for the user to decide', async () => {
      // A removes, then B's edit arrives: the removal stands, B's edit is kept; Retry restores the record with B's values.
      const removed = usageDoc('mg-3', 'ct-merge', 'min', 10, '2026-11-20');
      expect((await bo.push('consumption', rows(removed))).body).toEqual([]);
      expect((await bo.push('consumption', [{ newDocumentState: { ...removed, _deleted: true }, assumedMasterState: removed }])).body).toEqual([]);
      const edit = { ...removed, quantity: 11, updatedAt: '2026-11-21T09:05:00.000Z' };
      expect((await bo.push('consumption', [{ newDocumentState: edit, assumedMasterState: removed }])).body).toMatchObject([{ id: 'mg-3', _deleted: true }]);
      const [keptEdit] = await conflictsOf('mg-3');
      expect(keptEdit).toMatchObject({ reason: 'edit_conflict', message: expect.stringMatching(/removed .*on another device/), document: expect.objectContaining({ quantity: 11 }) });
      await bo.push('consumption', [{ newDocumentState: edit, assumedMasterState: removed }]);
      expect(await conflictsOf('mg-3')).toHaveLength(1);
      expect((await retry(keptEdit!.id)).resolvedAt).not.toBeNull();
      expect((await bo.api('GET', '/consumption/mg-3')).body).toMatchObject({ quantity: 11 });
      // A edits, then B's removal arrives: the edit stands, B's removal is kept; Retry removes it.
      const edited = usageDoc('mg-4', 'ct-merge', 'min', 10, '2026-11-20');
      expect((await bo.push('consumption', rows(edited))).body).toEqual([]);
      expect((await bo.push('consumption', [{ newDocumentState: { ...edited, quantity: 13 }, assumedMasterState: edited }])).body).toEqual([]);
      expect((await bo.push('consumption', [{ newDocumentState: { ...edited, _deleted: true }, assumedMasterState: edited }])).body).toMatchObject([{ id: 'mg-4', quantity: 13 }]);
      const [keptRemoval] = await conflictsOf('mg-4');
      expect(keptRemoval).toMatchObject({ reason: 'edit_conflict', message: expect.stringMatching(/changed on another device while this one removed it/), document: expect.objectContaining({ _deleted: true }) });
      expect((await retry(keptRemoval!.id)).resolvedAt).not.toBeNull();
      expect((await bo.api('GET', '/consumption/mg-4')).status).toBe(404);
    });
  });

  it('BO-06 every billing operation is in the OpenAPI document with request and response schemas', async () => {
    const doc = (await call(server.url, 'GET', '/docs/json')).body;
    const expected: [string, string, boolean][] = [
      ['post', '/api/v1/billing/customers', true], ['post', '/api/v1/billing/customers/{id}', true], ['delete', '/api/v1/billing/customers/{id}', true],
      ['get', '/api/v1/billing/customers/{id}', false], ['get', '/api/v1/billing/customers', false], ['get', '/api/v1/billing/services', false],
      ['get', '/api/v1/billing/services/{id}', false], ['post', '/api/v1/billing/contracts', true], ['post', '/api/v1/billing/contracts/{id}/activate', true],
      ['post', '/api/v1/billing/contracts/{id}/deactivate', true], ['post', '/api/v1/billing/contracts/{id}/suspend', true], ['post', '/api/v1/billing/contracts/{id}/resume', true],
      ['post', '/api/v1/billing/contracts/{id}/cancel', true], ['get', '/api/v1/billing/contracts/{id}', false], ['get', '/api/v1/billing/contracts', false],
      ['post', '/api/v1/billing/consumption', true], ['put', '/api/v1/billing/consumption/{id}', true], ['delete', '/api/v1/billing/consumption/{id}', false],
      ['get', '/api/v1/billing/consumption/{id}', false], ['get', '/api/v1/billing/consumption', false], ['get', '/api/v1/billing/receivables', false],
      ['post', '/api/v1/billing/receivables/{id}/pay', true], ['post', '/api/v1/billing/receivables/{id}/cancel', true], ['post', '/api/v1/billing/billing-runs', true],
    ];
    for (const [method, path, hasBody] of expected) {
      const operation = doc.paths[path]?.[method];
      expect([method, path, operation !== undefined]).toEqual([method, path, true]);
      expect([path, Object.keys(operation.responses['200'] ?? operation.responses['201'] ?? {}).length > 0]).toEqual([path, true]);
      if (hasBody) expect([path, operation.requestBody?.content?.['application/json']?.schema !== undefined]).toEqual([path, true]);
    }
  });
});

describe('back office billing run on postgresql', () => {
  let server: TestServer;
  let bo: BackofficeClient;
  beforeAll(async () => {
    server = await startTestServer('postgresql');
    bo = await backofficeClient(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('BO-04 BO-05 concurrent sends of one external id make one record; two concurrent billing runs of a period make each charge once', async () => {
    const customers = Array.from({ length: 20 }, (_, n) => customer(100 + n));
    expect((await bo.push('customers', rows(...customers))).body).toEqual([]);
    expect((await bo.push('backoffice', rows(serviceDoc('fee')))).body).toEqual([]);
    const contracts = customers.map((c, n) => contractDoc(`pc-${n}`, String(c.id), [['fee', n + 1]]));
    expect((await bo.push('backoffice', rows(...contracts))).body).toEqual([]);
    expect((await bo.push('backofficeActions', rows(...contracts.map((c, n) => requestDoc(`pa-${n}`, String(c.id), 'activate'))))).body).toEqual([]);
    // The same usage sent three times at once by an integrator: one record.
    const sends = await Promise.all([1, 2, 3].map(() => bo.api('POST', '/consumption', { externalId: 'PAR-1', contractId: 'pc-0', serviceId: 'fee', quantity: 1, date: dayOf(CUR, 2) })));
    expect(sends.map((send) => send.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(sends.map((send) => send.body.id)).size).toBe(1);
    expect((await bo.api('GET', '/consumption?contractId=pc-0')).body.consumption).toHaveLength(1);
    const runs = await Promise.all([1, 2, 3].map(() => bo.api('POST', '/billing-runs', { period: CUR })));
    expect(runs.map((run) => run.status)).toEqual([200, 200, 200]);
    expect(runs.map((run) => run.body.created).sort()).toEqual([0, 0, 20]);
    const listed = (await bo.api('GET', `/receivables?period=${CUR}&limit=1000`)).body;
    expect(listed.receivables).toHaveLength(20);
    // Σ (n + 1) × 50.00 for n = 0..19 = 210 × 5000 cents.
    expect(listed.totals.amountCents).toBe(210 * 5000);
    expect(runs.reduce((sum, run) => sum + run.body.amountCents, 0)).toBe(210 * 5000);
  });
});
