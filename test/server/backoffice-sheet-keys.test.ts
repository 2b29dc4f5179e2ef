import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backofficeClient, contractDoc, customer, requestDoc, rows, serviceDoc, usageDoc, type BackofficeClient } from './support/backoffice.ts';
import { call, DATABASE_KINDS, login, pairStation, startTestServer, type TestServer } from './support/servers.ts';

/**
 * Issue 11 (breaker): the keys a spreadsheet finds records by follow the normalization of the rule that
 * makes them unique (sync/rules/record-keys.ts): "TEL" and "tel" are one service code on every write
 * path and in the API's .xlsx upload; an external id with spaces around it is refused (a sheet, read
 * trimmed, could never name it). Concurrent uploads of one key keep exactly one holder (PostgreSQL too).
 */
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe.each(DATABASE_KINDS)('back-office keys on %s', (kind) => {
  let server: TestServer;
  let bo: BackofficeClient;
  const storeErrors = async (): Promise<{ documentId: string; reason: string; message: string; resolvedAt: string | null }[]> =>
    (await call(server.url, 'GET', '/api/sync/errors?limit=1000', { token: (await login(server, 'admin', 'admin123')).token })).body;
  const openError = async (documentId: string) => (await storeErrors()).find((entry) => entry.documentId === documentId && !entry.resolvedAt);
  const upload = async (body: Buffer) =>
    fetch(`${server.url}/api/v1/billing/consumption/batch?dryRun=true`, { method: 'POST', headers: { authorization: `Bearer ${bo.token}`, 'content-type': XLSX, 'idempotency-key': crypto.randomUUID() }, body: new Uint8Array(body) });

  beforeAll(async () => {
    server = await startTestServer(kind);
    bo = await backofficeClient(server);
    expect((await bo.push('customers', rows(customer(1)))).body).toEqual([]);
    expect((await bo.push('backoffice', rows(serviceDoc('tel', { code: 'TEL', unit: 'min', unitPriceCents: 10 }), contractDoc('ct-a', 'bo-cust-1', [['tel', 1]], { code: 'CT-A' })))).body).toEqual([]);
    expect((await bo.push('backofficeActions', rows(requestDoc('rq-a', 'ct-a', 'activate')))).status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('BO-02 BO-03 codes differing only in case or surrounding spaces are one code: the later service or contract is refused naming the holder', async () => {
    expect((await bo.push('backoffice', rows(serviceDoc('tel-lower', { code: 'tel' }), serviceDoc('tel-spaced', { code: ' Tel ' }), contractDoc('ct-a-lower', 'bo-cust-1', [['tel', 1]], { code: 'ct-a' })))).status).toBe(200);
    for (const id of ['tel-lower', 'tel-spaced']) expect(await openError(id)).toMatchObject({ reason: 'duplicate_key', message: expect.stringMatching(/\(tel\) already has code TEL .*case or spaces/) });
    expect(await openError('ct-a-lower')).toMatchObject({ reason: 'duplicate_key', message: expect.stringContaining('(ct-a) already has code CT-A') });
    // A service and a contract may share a code (unique per kind), and a record may change the case of its own code.
    expect((await bo.push('backoffice', rows(serviceDoc('svc-ct-a', { code: 'ct-a' })))).body).toEqual([]);
    expect(await openError('svc-ct-a')).toBeUndefined();
    expect((await bo.push('backoffice', [{ newDocumentState: serviceDoc('tel', { code: 'Tel', unit: 'min', unitPriceCents: 10 }), assumedMasterState: serviceDoc('tel', { code: 'TEL', unit: 'min', unitPriceCents: 10 }) }])).body).toEqual([]);
    expect(await openError('tel')).toBeUndefined();
  });

  it('BO-04 the API\'s .xlsx upload finds contract and service by the same key: "ct-a" and " tel" name CT-A and Tel', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Consumo');
    sheet.addRow(['ID externo', 'Contrato', 'Serviço', 'Data', 'Quantidade']);
    sheet.addRow(['K-1', 'ct-a', ' tel', '03/11/2026', 5]);
    sheet.addRow(['K-2', 'CT-B', 'TEL', '03/11/2026', 5]);
    const answer = await upload(Buffer.from(await workbook.xlsx.writeBuffer()));
    const report = (await answer.json()) as { accepted: number; errors: { row: number; column: string; reason: string }[] };
    expect(report.accepted).toBe(1);
    expect(report.errors).toEqual([{ row: 3, column: 'Contrato', reason: 'contrato CT-B não encontrado' }]);
  });

  it('BO-04 the API\'s batch lists an implausible quantity as a warning (dry run and write), and still accepts it', async () => {
    const items = [
      { externalId: 'W-1', contractId: 'ct-a', serviceId: 'tel', quantity: 1_000_000_000, date: '2026-11-03' },
      { externalId: 'W-2', contractId: 'ct-a', serviceId: 'tel', quantity: 999_999, date: '2026-11-03' },
    ];
    const dry = await bo.api('POST', '/consumption/batch?dryRun=true', { items }, { 'idempotency-key': crypto.randomUUID() });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ accepted: 2, written: 0, errors: [], warnings: [{ pointer: '/items/0/quantity', reason: expect.stringContaining('R$ 100.000.000,00') }] });
    const written = await bo.api('POST', '/consumption/batch', { items }, { 'idempotency-key': crypto.randomUUID() });
    expect(written.body).toMatchObject({ written: 2, warnings: [{ pointer: '/items/0/quantity' }] });
  });

  it('BO-04 the single-record API writes an implausible quantity and says so in a Warning header (created and changed); a plausible one carries none', async () => {
    // Tel costs R$ 0,10 a minute: 1,000,000,000 minutes (the most a record holds) charge R$ 100.000.000,00.
    const big = await bo.api('POST', '/consumption', { contractId: 'ct-a', serviceId: 'tel', quantity: 1_000_000_000, date: '2026-11-04', externalId: 'WH-1' }, { origin: 'app://balcao' });
    expect(big.status).toBe(201);
    // The app's own pages (and a browser integrator's) may read it.
    expect((big.headers.get('access-control-expose-headers') ?? '').split(',').map((name) => name.trim())).toContain('warning');
    expect(big.body).toMatchObject({ quantity: 1_000_000_000 });
    expect(big.headers.get('warning')).toMatch(/^299 - "Quantity 1000000000 min would charge R\$ 100\.000\.000,00 in one record \(more than R\$ 100\.000,00\)\. Check that it is right\."$/);
    const small = await bo.api('POST', '/consumption', { contractId: 'ct-a', serviceId: 'tel', quantity: 30, date: '2026-11-04', externalId: 'WH-2' });
    expect(small.status).toBe(201);
    expect(small.headers.get('warning')).toBeNull();
    const fixed = await bo.api('PUT', `/consumption/${String(big.body.id)}`, { serviceId: 'tel', quantity: 1_001, date: '2026-11-04' });
    expect(fixed.status).toBe(200);
    expect(fixed.headers.get('warning')).toBeNull();
    const typo = await bo.api('PUT', `/consumption/${String(small.body.id)}`, { serviceId: 'tel', quantity: 2_000_000, date: '2026-11-04' });
    expect(typo.status).toBe(200);
    expect(typo.headers.get('warning')).toMatch(/^299 - "Quantity 2000000 min would charge R\$ 200\.000,00 in one record/);
  });

  it('BO-04 an external id with spaces around it is refused on push and through the API, with the field named', async () => {
    expect((await bo.push('consumption', rows(usageDoc('u-spaced', 'ct-a', 'tel', 3, '2026-11-03', { externalId: ' E-1 ' })))).status).toBe(200);
    expect(await openError('u-spaced')).toMatchObject({ reason: 'invalid_value', message: expect.stringContaining('External id " E-1 " begins or ends with a space') });
    const api = await bo.api('POST', '/consumption', { contractId: 'ct-a', serviceId: 'tel', quantity: 3, date: '2026-11-03', externalId: 'E-2\t' });
    expect(api.status).toBe(422);
    expect(JSON.stringify(api.body)).toContain('begins or ends with a space');
    expect((await bo.api('POST', '/consumption', { contractId: 'ct-a', serviceId: 'tel', quantity: 3, date: '2026-11-03', externalId: 'E-2' })).status).toBe(201);
  });

  it('BO-02 BO-04 concurrent uploads of one key from two stations (a code in different cases, an external id): exactly one record keeps it', async () => {
    const sessions = await Promise.all(['cx01', 'cx02'].map(async (station) => login(server, 'retaguarda', 'retaguarda123', 'loja1', await pairStation(server, station))));
    const spellings = ['RACE', 'race', 'Race', ' race '];
    const push = (index: number, collection: string, doc: Record<string, unknown>) => call(server.url, 'POST', `/api/sync/${collection}/push`, { token: sessions[index % 2]!.token, body: rows(doc) });
    const services = Array.from({ length: 8 }, (_, index) => push(index, 'backoffice', serviceDoc(`race-svc-${index}`, { code: spellings[index % 4] })));
    const usage = Array.from({ length: 8 }, (_, index) => push(index, 'consumption', usageDoc(`race-use-${index}`, 'ct-a', 'tel', 1, '2026-11-04', { externalId: 'RACE-EXT' })));
    for (const answer of await Promise.all([...services, ...usage])) expect(answer.status).toBe(200);
    const errors = await storeErrors();
    for (const prefix of ['race-svc-', 'race-use-']) {
      const refused = errors.filter((entry) => entry.documentId.startsWith(prefix) && !entry.resolvedAt);
      expect(refused.map((entry) => entry.reason)).toEqual(Array(7).fill('duplicate_key'));
    }
    const services2 = (await bo.api('GET', '/services?limit=500')).body as { services: { id: string }[] };
    expect(services2.services.filter((service) => service.id.startsWith('race-svc-'))).toHaveLength(1);
  });
});
