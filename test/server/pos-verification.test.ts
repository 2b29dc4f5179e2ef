import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentWithCondition } from '../../sync/rules/index.ts';
import type { MasterRecord } from '../../sync/schema/index.ts';
import { call, DATABASE_KINDS, pullAll, stationSession, startTestServer, type TestServer } from './support/servers.ts';
import { cancelled, CREDIT, DEBIT, posSale } from './support/pos-sales.ts';

describe.each(DATABASE_KINDS)('POS sale and cash movement verification on %s', (kind) => {
  let server: TestServer;
  let token: string;
  let stationId: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    const session = await stationSession(server, 'cx01');
    token = session.token;
    stationId = session.station.stationId;
  });
  afterAll(async () => {
    await server?.close();
  });

  const push = (collection: string, rows: unknown[]) => call(server.url, 'POST', `/api/sync/${collection}/push`, { token, body: rows });
  const errorOf = async (documentId: string) => (await call(server.url, 'GET', '/api/sync/errors', { token })).body.find((error: { documentId: string }) => error.documentId === documentId);
  const storedIds = async (collection: string) => (await pullAll(server, token, collection)).map((doc) => doc.id);

  it('POS-09 a sale whose totals do not add up is quarantined as totals_mismatch, naming the field', async () => {
    const sale = { ...posSale('v-total', stationId, [['p-00200', 2, 1234]]), totalCents: 2400 };
    expect((await push('sales', [{ newDocumentState: sale }])).body).toEqual([]);
    const entry = await errorOf('v-total');
    expect(entry).toMatchObject({ reason: 'totals_mismatch', stationId });
    expect(entry.message).toContain('/totalCents');
    expect(await storedIds('sales')).not.toContain('v-total');
  });

  it('POS-09 a line whose total is not quantity × price − discount is quarantined', async () => {
    const sale = posSale('v-line', stationId, [['p-00201', 3, 500]]);
    const items = [{ productId: 'p-00201', quantity: 3, unitPriceCents: 500, discountCents: 0, totalCents: 1400 }];
    expect((await push('sales', [{ newDocumentState: { ...sale, items, subtotalCents: 1500, totalCents: 1400, payments: [{ paymentTypeId: DEBIT, amountCents: 1400 }] } }])).body).toEqual([]);
    expect((await errorOf('v-line')).reason).toBe('totals_mismatch');
  });

  it('POS-06 payments that do not settle the sale, or give change from a card, are quarantined as totals_mismatch', async () => {
    const short = posSale('v-short', stationId, [['p-00202', 1, 5000]], { payments: [{ paymentTypeId: DEBIT, amountCents: 4000 }] });
    const cardChange = posSale('v-card-change', stationId, [['p-00202', 1, 5000]], { payments: [{ paymentTypeId: DEBIT, amountCents: 6000 }], changeCents: 1000 });
    expect((await push('sales', [{ newDocumentState: short }, { newDocumentState: cardChange }])).body).toEqual([]);
    expect((await errorOf('v-short')).reason).toBe('totals_mismatch');
    expect((await errorOf('v-card-change')).reason).toBe('totals_mismatch');
  });

  it('POS-06 installments with interest are accepted when they match the condition, refused when they do not', async () => {
    const condition = (await pullAll(server, token, 'masterdata')).find((doc) => doc.id === 'loja1-paymentCondition-6x') as unknown as MasterRecord;
    const { payment } = paymentWithCondition(30_000, CREDIT, condition);
    expect(payment.interestCents).toBeGreaterThan(0);
    const good = posSale('v-6x', stationId, [['p-00203', 2, 15_000]], { payments: [payment] });
    const bad = posSale('v-6x-bad', stationId, [['p-00203', 2, 15_000]], { payments: [{ ...payment, interestCents: 0, amountCents: 30_000 }] });
    expect((await push('sales', [{ newDocumentState: good }, { newDocumentState: bad }])).body).toEqual([]);
    expect(await storedIds('sales')).toContain('v-6x');
    expect((await errorOf('v-6x-bad')).reason).toBe('totals_mismatch');
  });

  it('POS-01 a sale at a price the station had before a price change is accepted (no re-pricing)', async () => {
    const catalogue = (await call(server.url, 'GET', '/api/v1/products/p-00204', { token })).body.priceCents as number;
    const sale = posSale('v-old-price', stationId, [['p-00204', 1, catalogue + 111]]);
    expect((await push('sales', [{ newDocumentState: sale }])).body).toEqual([]);
    expect(await storedIds('sales')).toContain('v-old-price');
  });

  it('POS-06 a payment type or condition the server does not know is an unknown_reference', async () => {
    const sale = posSale('v-type', stationId, [['p-00205', 1, 100]], { payments: [{ paymentTypeId: 'loja1-paymentType-cheque', amountCents: 100 }] });
    const cond = posSale('v-cond', stationId, [['p-00205', 1, 100]], { payments: [{ paymentTypeId: CREDIT, paymentConditionId: 'loja1-paymentCondition-99x', amountCents: 100 }] });
    expect((await push('sales', [{ newDocumentState: sale }, { newDocumentState: cond }])).body).toEqual([]);
    expect((await errorOf('v-type')).reason).toBe('unknown_reference');
    expect((await errorOf('v-cond')).reason).toBe('unknown_reference');
  });

  it('POS-10 a cancellation needs a known financial reason; a wrong sale cancelled at the station leaves quarantine', async () => {
    const sale = posSale('v-cancel', stationId, [['p-00206', 1, 100]]);
    expect((await push('sales', [{ newDocumentState: sale }])).body).toEqual([]);
    const unknownReason = { ...cancelled(sale), cancellation: { reasonId: 'loja1-financialReason-nope', userId: 'loja1-caixa', at: '2026-11-23T15:00:00.000Z' } };
    // Refused: answered with the server's version, which the station takes back (issue 11).
    expect((await push('sales', [{ newDocumentState: unknownReason, assumedMasterState: sale }])).body).toMatchObject([{ id: 'v-cancel', status: sale.status }]);
    expect((await errorOf('v-cancel')).reason).toBe('unknown_reference');

    const wrong = { ...posSale('v-wrong', stationId, [['p-00206', 1, 100]]), changeCents: 50 };
    expect((await push('sales', [{ newDocumentState: wrong }])).body).toEqual([]);
    expect((await errorOf('v-wrong')).reason).toBe('totals_mismatch');
    expect((await push('sales', [{ newDocumentState: cancelled(wrong), assumedMasterState: wrong }])).body).toEqual([]);
    expect(await errorOf('v-wrong')).toBeUndefined();
    expect((await pullAll(server, token, 'sales')).find((doc) => doc.id === 'v-wrong')).toMatchObject({ status: 'cancelled' });
  });

  describe('cash movements', () => {
    const movement = (id: string, extra: Record<string, unknown>) => ({ id, stationId, userId: 'loja1-caixa', kind: 'supply', amountCents: 10_000, at: '2026-11-23T12:00:00.000Z', _deleted: false, ...extra });

    it('POS-05 supply and withdrawal need a known financial reason made for them; opening does not', async () => {
      const rows = [
        movement('cm-ok', { reasonId: 'loja1-financialReason-suprimento' }),
        movement('cm-open', { kind: 'opening' }),
        movement('cm-none', {}),
        movement('cm-unknown', { kind: 'withdrawal', reasonId: 'loja1-financialReason-nope' }),
        movement('cm-wrong-use', { kind: 'withdrawal', reasonId: 'loja1-financialReason-suprimento' }),
      ].map((doc) => ({ newDocumentState: doc }));
      expect((await push('cashMovements', rows)).body).toEqual([]);
      expect(await storedIds('cashMovements')).toEqual(expect.arrayContaining(['cm-ok', 'cm-open']));
      for (const id of ['cm-none', 'cm-unknown', 'cm-wrong-use']) expect((await errorOf(id)).reason).toBe('unknown_reference');
    });

    it('POS-05 a recorded cash movement is append-only: a change is immutable_document, a retry is harmless', async () => {
      const original = movement('cm-fixed', { kind: 'withdrawal', reasonId: 'loja1-financialReason-sangria' });
      expect((await push('cashMovements', [{ newDocumentState: original }])).body).toEqual([]);
      expect((await push('cashMovements', [{ newDocumentState: original }])).body).toEqual([]);
      expect(await errorOf('cm-fixed')).toBeUndefined();
      expect((await push('cashMovements', [{ newDocumentState: { ...original, amountCents: 1 }, assumedMasterState: original }])).body).toMatchObject([{ id: 'cm-fixed', amountCents: 10_000 }]);
      expect((await errorOf('cm-fixed')).reason).toBe('immutable_document');
      expect((await pullAll(server, token, 'cashMovements')).find((doc) => doc.id === 'cm-fixed')).toMatchObject({ amountCents: 10_000 });
    });
  });
});
