import { at, check, cpf, type Step } from './check.ts';

/**
 * The billing half of the walk (API-07): a customer, a metered service, a contract through its
 * transitions, a consumption record, the receivables list, and a spreadsheet export.
 */
const BILLING = '/api/v1/billing';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const billing: Step = {
  id: 'billing',
  name: 'billing: customer, contract transitions, consumption, receivables',
  async run(context) {
    const { http, run } = context;
    const customer = await http.send('POST', `${BILLING}/customers`, { idempotencyKey: `hom-${run}-customer`, body: { name: `Empresa da homologação ${run}`, taxId: cpf(parseInt(run, 36)) } });
    check(context, customer.status === 201 && typeof at(customer.body, 'id') === 'string', 'POST /billing/customers answers 201 with the id');
    const customerId = at(customer.body, 'id') as string;
    context.state.customerId = customerId;

    // Services are central data (the back office's `backoffice` collection, kind service).
    const serviceId = `hom-${run}-svc`;
    const service = await http.send('PUT', `/api/v1/backoffice/${serviceId}`, {
      idempotencyKey: `hom-${run}-svc`,
      body: { id: serviceId, kind: 'service', code: `HOM${run}`.toUpperCase().slice(0, 20), name: 'Minutos de homologação', active: true, monthlyFeeCents: 5_000, unit: 'min', unitPriceCents: 12, includedQuantity: 100, updatedAt: new Date().toISOString() },
    });
    check(context, service.status === 200, 'PUT /api/v1/backoffice/{id} stores a service (200)');
    const listed = await http.send('GET', `${BILLING}/services/${serviceId}`);
    check(context, listed.status === 200 && at(listed.body, 'id') === serviceId, 'GET /billing/services/{id} answers the service');

    const contractId = `hom-${run}-ct`;
    const contract = await http.send('POST', `${BILLING}/contracts`, {
      idempotencyKey: `hom-${run}-ct`,
      body: { id: contractId, code: `CT-${run}`.toUpperCase(), customerId, startDate: new Date().toISOString().slice(0, 10), billingDay: 5, lines: [{ serviceId, quantity: 1 }] },
    });
    check(context, contract.status === 201 && at(contract.body, 'state') === 'draft', 'POST /billing/contracts answers 201, state draft');
    for (const [action, state, body] of [['activate', 'active', undefined], ['suspend', 'suspended', { reason: 'Homologação: suspensão' }], ['resume', 'active', undefined]] as const) {
      const moved = await http.send('POST', `${BILLING}/contracts/${contractId}/${action}`, { idempotencyKey: `hom-${run}-ct-${action}`, body });
      check(context, moved.status === 200 && at(moved.body, 'state') === state, `POST /billing/contracts/{id}/${action} answers state ${state}`);
    }

    const usage = { externalId: `HOM-${run}-1`, contractId, serviceId, quantity: 30, date: new Date().toISOString().slice(0, 10) };
    const consumed = await http.send('POST', `${BILLING}/consumption`, { idempotencyKey: `hom-${run}-usage`, body: usage });
    check(context, consumed.status === 201 && at(consumed.body, 'quantity') === 30, 'POST /billing/consumption answers 201 with the record');
    const byContract = await http.send('GET', `${BILLING}/consumption?contractId=${contractId}`);
    check(context, byContract.status === 200 && (at(byContract.body, 'consumption') as unknown[] | undefined)?.length === 1, 'GET /billing/consumption?contractId= lists the one record');

    const receivables = await http.send('GET', `${BILLING}/receivables?limit=50`);
    check(context, receivables.status === 200 && Array.isArray(at(receivables.body, 'receivables')), 'GET /billing/receivables answers 200 with receivables[]');
  },
};

export const spreadsheetExport: Step = {
  id: 'spreadsheet',
  name: 'spreadsheet export (?format=xlsx)',
  async run(context) {
    const answer = await context.http.send('GET', `/api/v1/products/search?q=${encodeURIComponent(`homologação ${context.run}`)}&format=xlsx`, { binary: true });
    check(context, answer.status === 200, 'GET …?format=xlsx answers 200');
    check(context, (answer.headers['content-type'] ?? '').startsWith(XLSX_TYPE), `the content type is ${XLSX_TYPE}`);
    const bytes = answer.bytes ?? new Uint8Array();
    check(context, bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04, 'the body is a zip (starts with PK\\x03\\x04), as an .xlsx is');
  },
};

export const BILLING_STEPS = [billing, spreadsheetExport];
