import { describe, expect, it } from 'vitest';
import {
  applyContractRequest,
  checkConsumptionChange,
  checkConsumptionContract,
  checkConsumptionRows,
  checkCustomerRows,
  contractProblems,
  customerProblems,
  CONTRACT_STATES,
  FIELD_PROBLEM_CODES,
  fieldProblemText,
  ruleMessage,
  rowErrorText,
  serviceProblems,
  type RuleError,
} from '../../sync/rules/index.ts';
import type { ContractActionKind, ContractDoc, Customer, ServiceDoc } from '../../sync/schema/index.ts';
import { QUARANTINE_REASONS } from '../../sync/schema/errors.ts';
import { posPtBR } from '../../renderer/i18n/pos.pt-BR.ts';
import { posEn } from '../../renderer/i18n/pos.en.ts';
import { localRefusalDetail } from '../../renderer/core/backoffice/refusal-detail.ts';

/**
 * Issue 11: every message of the shared back-office rules (sync/rules: import-rows, contract-state,
 * consumption, backoffice-records, tax-id) that reaches the user is pt-BR by default, with English
 * available. The sweep makes each rule produce its messages and checks both languages' words.
 */
const ENGLISH = /\b(the|is|are|must|cannot|can't|please|enter|choose|already|should|needs?|required|invalid|not|with|and|of|which|this)\b/i;
const PORTUGUESE = /\b(não|é|já|obrigatório|inválid[oa]|linha|contrato|serviço|informe|período|data|quantidade|cliente|repetido)\b|ç|ã/i;
const ISO_DAY = /\b\d{4}-\d{2}(-\d{2})?\b/;

function expectPtBr(text: string, where: string): void {
  expect(text.trim(), where).not.toBe('');
  expect(text, `${where}: English words in "${text}"`).not.toMatch(ENGLISH);
  // Brazil writes 15/11/2026, not 2026-11-15.
  expect(text, `${where}: ISO date in "${text}"`).not.toMatch(ISO_DAY);
}

function expectEnglish(text: string, where: string): void {
  expect(text.trim(), where).not.toBe('');
  expect(text, `${where}: Portuguese words in "${text}"`).not.toMatch(PORTUGUESE);
}

const at = '2026-11-01T10:00:00.000Z';
const contract: ContractDoc = {
  id: 'ct-1', kind: 'contract', code: 'CT-1', customerId: 'c-1', startDate: '2026-01-01', billingDay: 10, state: 'cancelled', updatedAt: at,
  lines: [{ id: 'l', serviceId: 'svc-1', quantity: 1 }],
  history: [{ action: 'cancel', from: 'active', to: 'cancelled', at, userId: 'u', effectiveDate: '2026-11-15', reason: 'fim' }],
} as ContractDoc;

describe('issue 11: the back-office rules speak pt-BR by default, English on request', () => {
  it('BO-01 BO-02 BO-03 every field problem of customers, services and contracts has its pt-BR text', () => {
    const problems = [
      ...customerProblems({ id: 'c', name: ' ', taxId: '52998224724', phone: '12', email: 'x', cep: '1', active: false, updatedAt: at } as Customer),
      ...serviceProblems({ id: 's', kind: 'service', code: 'S', name: '', unitPriceCents: 10, updatedAt: at } as ServiceDoc),
      ...serviceProblems({ id: 's', kind: 'service', code: 'S', name: 'x', updatedAt: at } as ServiceDoc),
      ...contractProblems({ id: 'k', kind: 'contract', code: 'K', customerId: '', updatedAt: at, lines: [] } as unknown as ContractDoc),
      ...contractProblems({ ...contract, startDate: '2026-02-31', lines: [contract.lines![0]!, contract.lines![0]!] }),
    ];
    // The sweep reaches every code the rules have.
    expect(new Set(problems.map((problem) => problem.code))).toEqual(new Set(FIELD_PROBLEM_CODES));
    for (const problem of problems) {
      expectPtBr(fieldProblemText(problem, 'pt-BR'), `field ${problem.code}`);
      expect(fieldProblemText(problem, 'en')).toBe(problem.message);
      expectEnglish(problem.message, `field ${problem.code} (en)`);
    }
  });

  it('BO-03 BO-04 every refusal of the contract transition table and the consumption rules reads in pt-BR, dates as dd/mm/aaaa', () => {
    const errors: RuleError[] = [];
    const actions: ContractActionKind[] = ['activate', 'deactivate', 'suspend', 'resume', 'cancel'];
    for (const state of CONTRACT_STATES) {
      for (const kind of actions) {
        const applied = applyContractRequest(state, { kind, userId: 'u', requestedAt: at } as never, at, '2026-11-01');
        if (!applied.ok) errors.push(applied.error);
      }
    }
    const bad = applyContractRequest('active', { kind: 'cancel', userId: 'u', requestedAt: at, reason: 'x', effectiveDate: '2026-02-30' } as never, at, '2026-11-01');
    if (!bad.ok) errors.push(bad.error);
    const record = { id: 'u1', contractId: 'ct-1', serviceId: 'svc-1', quantity: 5, date: '2026-11-20', externalId: 'u1', updatedAt: at };
    const billed = () => true;
    for (const result of [
      checkConsumptionContract(record, contract),
      checkConsumptionContract({ ...record, serviceId: 'other' }, contract),
      checkConsumptionContract(record, undefined),
      checkConsumptionChange(record, { kind: 'remove' }, billed),
      checkConsumptionChange(undefined, { kind: 'create', next: { ...record, date: '2026-02-30' } }, () => false),
      checkConsumptionChange(undefined, { kind: 'create', next: { ...record, quantity: -1 } }, () => false),
      checkConsumptionChange(undefined, { kind: 'create', next: record }, billed),
    ]) {
      if (!result.ok) errors.push(result.error);
    }
    expect(new Set(errors.map((error) => error.code))).toEqual(new Set(['invalid_transition', 'reason_required', 'invalid_value', 'contract_cancelled', 'unknown_service', 'billed_period']));
    for (const error of errors) {
      expectPtBr(ruleMessage(error, 'pt-BR'), `rule ${error.code} ${JSON.stringify(error.params)}`);
      expect(ruleMessage(error, 'en')).toBe(error.message);
    }
    expect(ruleMessage(checkConsumptionContract(record, contract).ok ? ({} as RuleError) : (checkConsumptionContract(record, contract) as { error: RuleError }).error, 'pt-BR')).toContain('15/11/2026');
  });

  it('BO-01 BO-04 every bad cell of a spreadsheet dry run has its reason in pt-BR and in English', () => {
    const customers = checkCustomerRows(
      [['123', '', 'x@', '12', '1', 'ZZ'], ['52998224725', 'Ana'], ['52998224725', 'Ana de novo'], ['', 'x'.repeat(201)]],
      { taxId: 0, name: 1, email: 2, phone: 3, cep: 4, uf: 5 },
    );
    const consumption = checkConsumptionRows(
      [['', '', '', '31/02/2026', '1,5'], ['E1', 'CT-9', 'SVC-9', '01/11/2026', '1'], ['E1', 'CT-1', 'SVC-2', '01/11/2026', '1'], ['x'.repeat(101), 'CT-1', 'SVC-1', '', '']],
      { externalId: 0, contract: 1, service: 2, date: 3, quantity: 4 },
      { contract: (code) => (code === 'CT-1' ? { id: 'ct-1', serviceIds: ['svc-1'] } : undefined), service: (code) => (code === 'SVC-1' ? { id: 'svc-1' } : code === 'SVC-2' ? { id: 'svc-2' } : undefined) },
    );
    const errors = [...customers.errors, ...consumption.errors];
    expect(errors.length).toBeGreaterThanOrEqual(14);
    for (const error of errors) {
      expectPtBr(`${error.reason}`.replace(/DD\/MM\/AAAA/, ''), `row ${error.row} ${error.column}`);
      expect(rowErrorText(error, 'pt-BR')).toBe(error.reason);
      expectEnglish(rowErrorText(error, 'en'), `row ${error.row} ${error.column} (en)`);
    }
  });

  it('BO-04 a server refusal (reason and detail) reads in pt-BR on the device: every quarantine reason has its pt-BR and English texts, and the kept record is explained again by the device rules', () => {
    for (const reason of QUARANTINE_REASONS) {
      expectPtBr(posPtBR.errors.hints[reason], `hint ${reason}`);
      expectPtBr(posPtBR.errors.reasons[reason], `reason ${reason}`);
      expectEnglish(posEn.errors.hints[reason], `hint ${reason} (en)`);
    }
    const refusal = { id: 'q', collection: 'consumption' as const, documentId: 'u1', stationId: null, reason: 'contract_cancelled' as const, message: 'Consumption u1: Contract CT-1 was cancelled effective 2026-11-15', document: { id: 'u1', contractId: 'ct-1', serviceId: 'svc-1', quantity: 5, date: '2026-11-20' }, createdAt: at, attempts: 1, resolvedAt: null };
    const detail = localRefusalDetail(refusal, 'pt-BR', new Map([['ct-1', contract]]));
    expect(detail).toContain('15/11/2026');
    expectPtBr(detail!, 'consumption refusal detail');
    const customer = { ...refusal, collection: 'customers' as const, reason: 'invalid_value' as const, document: { id: 'c', name: 'Ana', taxId: '52998224725', email: 'x@', active: true, updatedAt: at } };
    expectPtBr(localRefusalDetail(customer, 'pt-BR')!, 'customer refusal detail');
    // A contract request the server refused: checked again against the contract's state, it says which transitions that state allows.
    const suspendedContract = { ...contract, state: 'suspended' as const };
    const request = { ...refusal, collection: 'backofficeActions' as const, reason: 'invalid_transition' as const, document: { id: 'r1', kind: 'suspend', contractId: 'ct-1', userId: 'u', requestedAt: at } };
    const transition = localRefusalDetail(request, 'pt-BR', new Map([['ct-1', suspendedContract]]));
    expect(transition).toContain('Situações possíveis');
    expectPtBr(transition!, 'contract request refusal detail');
  });
});
