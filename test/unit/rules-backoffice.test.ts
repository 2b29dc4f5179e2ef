import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConsumptionRecord, ContractDoc, ContractHistoryEntry, Customer, ServiceDoc } from '../../sync/schema/index.ts';
import { COLLECTION_NAMES, MAX_DEVICE_COLLECTIONS, collectionsFor } from '../../sync/schema/index.ts';
import {
  allowedActions,
  applyContractRequest,
  checkConsumptionChange,
  checkConsumptionContract,
  computeCharge,
  contractStateAt,
  correctingRecord,
  customerProblems,
  dueDateOf,
  formatCep,
  formatPhone,
  formatTaxId,
  isValidCnpj,
  isValidEmail,
  isValidTaxId,
  mergeConcurrentEdits,
  normalizeCep,
  normalizePhone,
  normalizeUf,
  ruleMessagePtBr,
  taxIdKind,
  withCnpjCheckDigits,
} from '../../sync/rules/index.ts';

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe('back-office rules (BO-01..05)', () => {
  it('BO-01 alphanumeric CNPJ: letters count as ASCII − 48; the Receita example validates and formats', () => {
    expect(isValidCnpj('12ABC34501DE35')).toBe(true);
    expect(isValidCnpj('12.abc.345/01de-35')).toBe(true);
    expect(formatTaxId('12abc34501de35')).toBe('12.ABC.345/01DE-35');
    expect(taxIdKind('12ABC34501DE35')).toBe('cnpj');
    expect(isValidCnpj('12ABC34501DE36')).toBe(false);
    // Check digits stay digits; a letter there is never valid.
    expect(isValidCnpj('12ABC34501DE3A')).toBe(false);
    // All-digit CNPJs are checked exactly as before.
    expect(isValidCnpj('11222333000181')).toBe(true);
    // A CPF is never alphanumeric.
    expect(isValidTaxId('5299822472A')).toBe(false);
  });

  it('BO-01 generated alphanumeric CNPJs are valid; changing one base character to another is caught unless mod 11 collides', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 12, maxLength: 12 }), fc.integer({ min: 0, max: 11 }), fc.constantFrom(...ALNUM), (base, position, replacement) => {
        const cnpj = withCnpjCheckDigits(base);
        fc.pre(!/^(.)\1*$/.test(cnpj));
        expect(isValidCnpj(cnpj)).toBe(true);
        const weights = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
        const delta = (replacement.charCodeAt(0) - base.charCodeAt(position)) * weights[position]!;
        fc.pre(((delta % 11) + 11) % 11 !== 0 && Math.abs(((delta % 11) + 11) % 11) !== 1 && ((delta % 11) + 11) % 11 !== 10);
        expect(isValidCnpj(`${base.slice(0, position)}${replacement}${base.slice(position + 1)}${cnpj.slice(12)}`)).toBe(false);
      }),
    );
  });

  it('BO-01 phone, e-mail, CEP and UF are validated, normalised and formatted', () => {
    expect(normalizePhone('(11) 98765-4321')).toBe('11987654321');
    expect(normalizePhone('+55 11 3333-4444')).toBe('1133334444');
    expect(formatPhone('11987654321')).toBe('(11) 98765-4321');
    expect(formatPhone('1133334444')).toBe('(11) 3333-4444');
    expect(normalizePhone('11 88765-4321')).toBeNull(); // 9 digits must start with 9
    expect(normalizePhone('01 3333-4444')).toBeNull(); // no DDD 01
    expect(normalizePhone('11 1333-4444')).toBeNull(); // landlines start 2–5
    expect(normalizePhone('11 3333-444a')).toBeNull();
    expect(isValidEmail(' ana@exemplo.com.br ')).toBe(true);
    expect(isValidEmail('ana@exemplo')).toBe(false);
    expect(isValidEmail('ana silva@exemplo.com')).toBe(false);
    expect(normalizeCep('01310-100')).toBe('01310100');
    expect(formatCep('01310100')).toBe('01310-100');
    expect(normalizeCep('00000-000')).toBeNull();
    expect(normalizeCep('1310-100')).toBeNull();
    expect(normalizeUf(' sp ')).toBe('SP');
    expect(normalizeUf('XX')).toBeNull();
  });

  it('BO-01 a customer is checked field by field: valid contact fields, deactivation needs a reason', () => {
    const customer: Customer = { id: 'c', name: 'Ana', taxId: '52998224725', active: true, updatedAt: '2026-11-01T00:00:00.000Z', phone: '11987654321', cep: '01310100', email: 'ana@ex.com' };
    expect(customerProblems(customer)).toEqual([]);
    expect(customerProblems({ ...customer, phone: '(11) 98765-4321' })).toEqual([]);
    expect(customerProblems({ ...customer, phone: '(11) 8765-432' }).map((p) => p.field)).toEqual(['phone']);
    expect(customerProblems({ ...customer, active: false }).map((p) => p.field)).toEqual(['deactivationReason']);
    expect(customerProblems({ ...customer, active: false, deactivationReason: 'Mudou de cidade' })).toEqual([]);
    expect(customerProblems({ ...customer, taxId: '52998224724', email: 'x' }).map((p) => p.field)).toEqual(['taxId', 'email']);
  });

  it('BO-03 contract requests apply the transition table and record who, when and why; refusals say what is allowed', () => {
    const request = { id: 'r1', kind: 'suspend' as const, userId: 'u1', requestedAt: '2026-11-02T10:00:00.000Z', reason: 'Inadimplência' };
    const applied = applyContractRequest('active', request, '2026-11-03T00:00:00.000Z', '2026-11-03');
    expect(applied).toEqual({
      ok: true,
      value: { state: 'suspended', entry: { at: '2026-11-03T00:00:00.000Z', requestedAt: request.requestedAt, action: 'suspend', from: 'active', to: 'suspended', userId: 'u1', requestId: 'r1', reason: 'Inadimplência' } },
    });
    expect(applyContractRequest('active', { ...request, reason: ' ' }, 'now', 'today')).toMatchObject({ ok: false, error: { code: 'reason_required' } });
    expect(applyContractRequest('active', { ...request, kind: 'resume' }, 'now', 'today')).toMatchObject({ ok: false, error: { code: 'invalid_transition', message: expect.stringMatching(/Only a suspended contract can be resumed.*can only become: inactive, suspended, cancelled/) } });
    expect(applyContractRequest('suspended', { ...request, kind: 'resume' }, 'now', 'today')).toMatchObject({ ok: true, value: { state: 'active' } });
    expect(applyContractRequest('active', { ...request, kind: 'cancel' }, 'n', '2026-11-03')).toMatchObject({ ok: true, value: { entry: { effectiveDate: '2026-11-03' } } });
    expect(allowedActions('suspended')).toEqual(['activate', 'resume', 'cancel']);
    expect(allowedActions('cancelled')).toEqual([]);
    expect(ruleMessagePtBr({ code: 'reason_required', message: '', params: { action: 'cancel' } })).toBe('Para cancelar o contrato, informe o motivo.');
  });

  it('BO-03 the state at an instant follows the history; a cancellation counts from its effective date', () => {
    const history: ContractHistoryEntry[] = [
      { at: '2026-10-01T12:00:00.000Z', action: 'activate', from: 'draft', to: 'active', userId: 'u' },
      { at: '2026-11-20T12:00:00.000Z', action: 'suspend', from: 'active', to: 'suspended', userId: 'u' },
      { at: '2026-11-25T12:00:00.000Z', action: 'cancel', from: 'suspended', to: 'cancelled', userId: 'u', effectiveDate: '2026-11-10' },
    ];
    expect(contractStateAt(history, '2026-09-30T00:00:00.000Z')).toBe('draft');
    expect(contractStateAt(history, '2026-11-01T00:00:00.000Z')).toBe('active');
    expect(contractStateAt(history, '2026-11-15T00:00:00.000Z')).toBe('cancelled');
    expect(contractStateAt(history, '2026-12-01T00:00:00.000Z')).toBe('cancelled');
    expect(contractStateAt(history.slice(0, 2), '2026-12-01T00:00:00.000Z')).toBe('suspended');
  });

  const record: ConsumptionRecord = { id: 'k1', contractId: 'ct1', serviceId: 's1', quantity: 10, date: '2026-10-15', externalId: 'E1', updatedAt: '2026-10-15T00:00:00.000Z' };

  it('BO-04 a record of a billed period cannot change or be removed; the message says to make a correcting record', () => {
    const billed = (contractId: string, period: string) => contractId === 'ct1' && period === '2026-10';
    const changed = checkConsumptionChange(record, { kind: 'update', next: { ...record, quantity: 12 } }, billed);
    expect(changed).toMatchObject({ ok: false, error: { code: 'billed_period', message: expect.stringMatching(/already billed.*cannot be changed.*correcting record/) } });
    expect(checkConsumptionChange(record, { kind: 'remove' }, billed)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/cannot be removed/) } });
    expect(checkConsumptionChange(undefined, { kind: 'create', next: { ...record, id: 'k2' } }, billed)).toMatchObject({ ok: false, error: { code: 'billed_period' } });
    const fix = correctingRecord(record, 10, 12, { id: 'k3', date: '2026-11-02', updatedAt: '2026-11-02T00:00:00.000Z' });
    expect(fix).toMatchObject({ quantity: 2, correctsId: 'k1', date: '2026-11-02', contractId: 'ct1', serviceId: 's1' });
    expect(checkConsumptionChange(undefined, { kind: 'create', next: fix }, billed)).toEqual({ ok: true, value: null });
    expect(checkConsumptionChange(undefined, { kind: 'create', next: { ...record, quantity: -1, date: '2026-11-01' } }, billed)).toMatchObject({ ok: false, error: { code: 'invalid_value' } });
    expect(checkConsumptionChange(record, { kind: 'update', next: { ...record, date: '2026-11-01' } }, () => false)).toEqual({ ok: true, value: null });
    // The schema's pattern lets an impossible day through; the rule does not.
    expect(checkConsumptionChange(undefined, { kind: 'create', next: { ...record, date: '2026-02-31' } }, () => false)).toMatchObject({ ok: false, error: { code: 'invalid_value', params: { field: 'date' } } });
    expect(applyContractRequest('active', { id: 'r', kind: 'cancel', userId: 'u', requestedAt: 'x', reason: 'r', effectiveDate: '2026-02-30' }, 'n', '2026-11-01')).toMatchObject({ ok: false, error: { code: 'invalid_value' } });
  });

  it('BO-04 usage needs a contracted service and a contract not cancelled by its date', () => {
    const contract: ContractDoc = { id: 'ct1', kind: 'contract', code: 'C-1', lines: [{ id: 'l1', serviceId: 's1', quantity: 1 }], state: 'active', history: [], updatedAt: 'x' };
    expect(checkConsumptionContract(record, contract)).toEqual({ ok: true, value: null });
    expect(checkConsumptionContract({ ...record, serviceId: 's9' }, contract)).toMatchObject({ ok: false, error: { code: 'unknown_service' } });
    const cancelled: ContractDoc = { ...contract, state: 'cancelled', history: [{ at: '2026-10-20T00:00:00.000Z', action: 'cancel', to: 'cancelled', userId: 'u', effectiveDate: '2026-10-16' }] };
    expect(checkConsumptionContract(record, cancelled)).toEqual({ ok: true, value: null });
    expect(checkConsumptionContract({ ...record, date: '2026-10-16' }, cancelled)).toMatchObject({ ok: false, error: { code: 'contract_cancelled', message: expect.stringMatching(/cancelled effective 2026-10-16/) } });
  });

  const fee: ServiceDoc = { id: 's-fee', kind: 'service', code: 'HOST', name: 'Hospedagem', monthlyFeeCents: 4990, updatedAt: 'x' };
  const metered: ServiceDoc = { id: 's-min', kind: 'service', code: 'MIN', name: 'Minutos', unit: 'min', unitPriceCents: 12, includedQuantity: 100, monthlyFeeCents: 1000, updatedAt: 'x' };
  const services = new Map([fee, metered].map((s) => [s.id, s]));
  const active = (at: string): ContractHistoryEntry => ({ at, action: 'activate', from: 'draft', to: 'active', userId: 'u' });
  const contractOf = (history: ContractHistoryEntry[], extra: Partial<ContractDoc> = {}): ContractDoc => ({
    id: 'ct', kind: 'contract', code: 'C-1', customerId: 'cu', startDate: '2026-10-01', billingDay: 31, state: 'active', updatedAt: 'x',
    lines: [{ id: 'l1', serviceId: 's-fee', quantity: 2 }, { id: 'l2', serviceId: 's-min', quantity: 1, unitPriceOverrideCents: 10 }], history, ...extra,
  });

  it('BO-05 billing: full fee without proration when active at month end, usage beyond the included quantity, due on the billing day of the next month', () => {
    const charge = computeCharge(contractOf([active('2026-11-29T12:00:00.000Z')]), services, new Map([['s-min', 250]]), '2026-11');
    // 2 × 49.90 + 10.00 fee; (250 − 100) × 0.10 metered.
    expect(charge).toEqual({
      amountCents: 2 * 4990 + 1000 + 150 * 10,
      dueDate: '2026-12-31',
      lines: [
        { serviceId: 's-fee', lineId: 'l1', feeCents: 9980, usedQuantity: 0, includedQuantity: 0, billedQuantity: 0, unitPriceCents: 0, meteredCents: 0 },
        { serviceId: 's-min', lineId: 'l2', feeCents: 1000, usedQuantity: 250, includedQuantity: 100, billedQuantity: 150, unitPriceCents: 10, meteredCents: 1500 },
      ],
    });
    expect(dueDateOf('2027-01', 31)).toBe('2027-02-28');
    expect(dueDateOf('2027-12', 10)).toBe('2028-01-10');
  });

  it('BO-05 billing: suspended, cancelled or draft at month end pay no fee but their accepted usage; nothing due makes no receivable', () => {
    const suspended = contractOf([active('2026-10-01T00:00:00.000Z'), { at: '2026-11-30T23:00:00.000Z', action: 'suspend', from: 'active', to: 'suspended', userId: 'u' }]);
    expect(computeCharge(suspended, services, new Map([['s-min', 250]]), '2026-11')?.amountCents).toBe(1500);
    expect(computeCharge(suspended, services, new Map(), '2026-11')).toBeNull();
    // Active in October: full October fee.
    expect(computeCharge(suspended, services, new Map(), '2026-10')?.amountCents).toBe(10980);
    const cancelled = contractOf([active('2026-10-01T00:00:00.000Z'), { at: '2026-12-05T00:00:00.000Z', action: 'cancel', from: 'active', to: 'cancelled', userId: 'u', effectiveDate: '2026-11-15' }]);
    expect(computeCharge(cancelled, services, new Map([['s-min', 50]]), '2026-11')).toBeNull();
    expect(computeCharge(contractOf([]), services, new Map([['s-min', 101]]), '2026-11')?.amountCents).toBe(10);
    // A contract starting after the period pays no fee for it.
    expect(computeCharge(contractOf([active('2026-10-01T00:00:00.000Z')], { startDate: '2026-12-01' }), services, new Map(), '2026-11')).toBeNull();
  });

  it('BO-05 billing properties: the amount is the sum of the lines, never negative, and usage within the included quantity costs nothing extra', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1000, max: 100_000 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.boolean(),
        (used, quantity, price, isActive) => {
          const contract = contractOf(isActive ? [active('2026-10-01T00:00:00.000Z')] : [], { lines: [{ id: 'l', serviceId: 's-min', quantity, unitPriceOverrideCents: price }] });
          const charge = computeCharge(contract, services, new Map([['s-min', used]]), '2026-11');
          const expected = (isActive ? 1000 * quantity : 0) + Math.max(0, used - 100 * quantity) * price;
          expect(charge?.amountCents ?? 0).toBe(expected);
          if (charge) expect(charge.lines.reduce((sum, line) => sum + line.feeCents + line.meteredCents, 0)).toBe(charge.amountCents);
        },
      ),
    );
  });

  it('BO-01 BO-03 concurrent offline edits merge field by field; a field both changed is reported, never lost', () => {
    const base = { id: 'c', name: 'Ana', phone: '11987654321', city: 'SP', updatedAt: '2026-11-01T00:00:00.000Z' };
    const device = { ...base, phone: '11911112222', city: 'Campinas', updatedAt: '2026-11-02T00:00:00.000Z' };
    const server = { ...base, name: 'Ana Souza', city: 'Santos', updatedAt: '2026-11-03T00:00:00.000Z' };
    expect(mergeConcurrentEdits(base, device, server, { ignore: ['updatedAt'] })).toEqual({
      merged: { id: 'c', name: 'Ana Souza', phone: '11911112222', city: 'Santos', updatedAt: '2026-11-03T00:00:00.000Z' },
      conflicts: [{ field: 'city', device: 'Campinas', server: 'Santos' }],
    });
    const lines = (...items: [string, number][]) => items.map(([id, quantity]) => ({ id, serviceId: id, quantity }));
    const contract = mergeConcurrentEdits(
      { id: 'k', lines: lines(['a', 1], ['b', 1]), state: 'draft' },
      { id: 'k', lines: lines(['a', 2], ['b', 1], ['c', 1]), state: 'draft' },
      { id: 'k', lines: lines(['a', 1], ['b', 5]), state: 'active' },
      { serverOwned: ['state'] },
    );
    expect(contract).toEqual({ merged: { id: 'k', lines: lines(['a', 2], ['b', 5], ['c', 1]), state: 'active' }, conflicts: [] });
  });

  it('BO-04 who edited a usage record last goes with the later edit and is never a conflict', () => {
    const options = { ignore: ['updatedAt'], lastEdit: { at: 'updatedAt', fields: ['userId'] } };
    const base = { id: 'u', quantity: 10, date: '2026-11-20', userId: 'ana', updatedAt: '2026-11-01T00:00:00.000Z' };
    const device = { ...base, date: '2026-11-19', userId: 'bia', updatedAt: '2026-11-03T00:00:00.000Z' };
    const server = { ...base, quantity: 12, userId: 'caio', updatedAt: '2026-11-02T00:00:00.000Z' };
    expect(mergeConcurrentEdits(base, device, server, options)).toEqual({ merged: { ...device, quantity: 12 }, conflicts: [] });
    expect(mergeConcurrentEdits(base, server, device, options)).toEqual({ merged: { ...device, quantity: 12 }, conflicts: [] });
  });

  it('BO-01 BO-03 merge property: every change of each side is either in the merged document or listed as a conflict', () => {
    const value = fc.constantFrom('x', 'y', 'z', undefined);
    const doc = fc.record({ a: value, b: value, c: value });
    fc.assert(
      fc.property(doc, doc, doc, (base, device, server) => {
        const { merged, conflicts } = mergeConcurrentEdits(base, device, server);
        for (const key of ['a', 'b', 'c'] as const) {
          const conflict = conflicts.find((c) => c.field === key);
          if (device[key] !== base[key]) expect(merged[key] === device[key] || conflict?.device === device[key]).toBe(true);
          if (server[key] !== base[key]) expect(merged[key]).toBe(server[key]);
        }
      }),
    );
  });

  it('BO-01 the device opens at most 13 collections, whatever its roles (RxDB open-source limit)', () => {
    expect(COLLECTION_NAMES.length).toBeLessThanOrEqual(MAX_DEVICE_COLLECTIONS);
    expect(collectionsFor(['backoffice'])).toEqual(expect.arrayContaining(['customers', 'backoffice', 'consumption', 'backofficeActions']));
    expect(collectionsFor(['cashier'])).not.toContain('consumption');
  });
});
