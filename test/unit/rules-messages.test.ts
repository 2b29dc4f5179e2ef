import { describe, expect, it } from 'vitest';
import type { ConsumptionRecord, ContractDoc } from '../../sync/schema/index.ts';
import {
  RULE_ERROR_CODES,
  addVersion,
  applyContractRequest,
  checkConsumptionChange,
  checkConsumptionContract,
  checkCorrections,
  approveBudget,
  canChangeDesign,
  computeSaleTotals,
  formatBrl,
  finishReview,
  ruleMessage,
  ruleMessagePtBr,
  settlePayments,
  startReview,
  transition,
  withBudgetItems,
  type BudgetedEnvironment,
  type RuleError,
  type RuleResult,
} from '../../sync/rules/index.ts';
import { redeemVoucher, voucherPaymentProblem } from '../../sync/rules/voucher.ts';
import { NOW, paymentTypes, products } from './rules-fixtures.ts';

/** What a text shows when a parameter it uses was not passed (or passed under another name). */
const UNFILLED = /undefined|null|NaN|\[object|\$\{|\{\{/;

function errorOf<T>(result: RuleResult<T>): RuleError {
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

describe('refusal texts in pt-BR (UI default) and English', () => {
  const env: BudgetedEnvironment = { id: 'e', name: 'Cozinha', stage: 'negotiating', latestDesignRevision: 2, versions: [], items: [], budget: { subtotalCents: 0, discountCents: 0, totalCents: 0, markupBp: 0 } };
  const withVersion = addVersion(env, { id: 'v-1', optionName: 'A', importedAt: NOW, designId: 'd1', designRevision: 1 });
  const refusals: RuleError[] = [
    errorOf(transition('suspended', 'inactive')),
    errorOf(transition('cancelled', 'active')),
    errorOf(approveBudget(env, 'nope', NOW)),
    withVersion.ok ? errorOf(approveBudget(withVersion.value, 'v-1', NOW)) : errorOf(withVersion),
    errorOf(startReview(env, true)),
    errorOf(finishReview(env, NOW)),
    errorOf(computeSaleTotals([{ productId: 'p-00004', quantity: 1, manualDiscountCents: 301 }], { products, promotions: [], at: NOW })),
    errorOf(computeSaleTotals([{ productId: 'p-x', quantity: 1 }], { products, promotions: [], at: NOW })),
    errorOf(settlePayments({ totalCents: 4449, payments: [{ paymentTypeId: 'pt-cash', amountCents: 4000 }], paymentTypes })),
    errorOf(settlePayments({ totalCents: 4449, payments: [{ paymentTypeId: 'pt-pix', amountCents: 5000 }], paymentTypes })),
  ];

  it('POS-09 BO-03 DES-11 says what happened and what to do, with the values filled in', () => {
    expect(refusals.map(ruleMessagePtBr)).toEqual([
      'Um contrato suspenso não pode passar a inativo. Situações possíveis: ativo, cancelado.',
      'Contrato cancelado não pode mudar. Crie um novo contrato.',
      'A versão escolhida não pertence ao ambiente "Cozinha". Recarregue o ambiente e escolha uma versão da lista.',
      'O orçamento da versão 1 não pode ser aprovado: o projeto mudou no software de projeto. Atualize o ambiente, confira o novo orçamento e aprove-o.',
      'O ambiente "Cozinha" só pode ser revisado depois de convertido e antes de a revisão terminar.',
      'O ambiente "Cozinha" não está em revisão. Inicie a revisão primeiro.',
      'Item 1 (Produto p-00004): o desconto de R$ 3,01 é maior que o valor do item, R$ 3,00. Diminua o desconto.',
      'Item 1: o produto p-x não está no catálogo deste caixa. Remova o item ou sincronize o caixa e tente de novo.',
      'Pago R$ 40,00 de R$ 44,49. Lance mais um pagamento de R$ 4,49.',
      'Cartão e PIX somam R$ 50,00, mas só R$ 44,49 está em aberto; troco só em dinheiro. Diminua o valor no cartão ou PIX.',
    ]);
  });

  it('every refusal code, raised by its rule, has a Portuguese text with every value filled in', () => {
    const usage: ConsumptionRecord = { id: 'k1', contractId: 'ct1', serviceId: 's1', quantity: 10, date: '2026-10-15', externalId: 'E1', updatedAt: NOW };
    const contract: ContractDoc = { id: 'ct1', kind: 'contract', code: 'C-1', lines: [{ id: 'l1', serviceId: 's1', quantity: 1 }], state: 'active', history: [], updatedAt: NOW } as ContractDoc;
    const reviewing = (e: BudgetedEnvironment): BudgetedEnvironment => ({ ...e, stage: 'reviewing' });
    const raised: RuleError[] = [
      ...refusals,
      withVersion.ok ? errorOf(approveBudget({ ...withVersion.value, stage: 'converted' }, 'v-1', NOW)) : errorOf(withVersion),
      withVersion.ok
        ? errorOf(approveBudget(withBudgetItems({ ...withVersion.value, latestDesignRevision: 1 }, [{ id: 'h', origin: 'manual', description: 'Frete', quantity: 1, unitPriceCents: 9_000_000, discountCents: 0, totalCents: 9_000_000 }]), 'v-1', NOW, { revision: 0, totalCents: 0 }))
        : errorOf(withVersion),
      withVersion.ok ? errorOf(startReview({ ...withVersion.value, stage: 'converted' }, false)) : errorOf(withVersion),
      withVersion.ok ? errorOf(finishReview(reviewing(withVersion.value), NOW)) : errorOf(withVersion),
      errorOf(canChangeDesign({ ...env, stage: 'reviewed' })),
      errorOf(computeSaleTotals([{ productId: 'p-00001', quantity: 0 }], { products, promotions: [], at: NOW })),
      errorOf(computeSaleTotals([{ productId: 'p-00001', quantity: 1 }], { products, promotions: [], at: NOW }, 1001)),
      errorOf(settlePayments({ totalCents: 4449, payments: [{ paymentTypeId: 'pt-boleto', amountCents: 4449 }], paymentTypes })),
      errorOf(settlePayments({ totalCents: 4449, payments: [{ paymentTypeId: 'pt-cash', amountCents: -1 }], paymentTypes })),
      // The back office's rules (BO-03, BO-04).
      errorOf(applyContractRequest('active', { kind: 'suspend', userId: 'u' } as Parameters<typeof applyContractRequest>[1], NOW, '2026-11-29')),
      errorOf(checkConsumptionChange(usage, { kind: 'remove' }, () => true)),
      errorOf(checkConsumptionChange(undefined, { kind: 'create', next: { ...usage, date: '2026-02-31' } }, () => false)),
      errorOf(checkConsumptionContract({ ...usage, serviceId: 's9' }, contract)),
      errorOf(checkConsumptionContract({ ...usage, date: '2026-10-20' }, { ...contract, state: 'cancelled', history: [{ at: NOW, action: 'cancel', from: 'active', to: 'cancelled', userId: 'u', effectiveDate: '2026-10-16' }] })),
      // Each side of the correction rule: the correction's target, its amount; its record shrunk, moved, removed.
      ...[
        { id: 'k9', next: { ...usage, id: 'k9', externalId: 'E9', quantity: -1, correctsId: 'nope' } },
        { id: 'k9', next: { ...usage, id: 'k9', externalId: 'E9', quantity: -11, correctsId: 'k1' } },
        { id: 'k1', next: { ...usage, quantity: 1 } },
        { id: 'k1', next: { ...usage, serviceId: 's2' } },
        { id: 'k1', next: null },
      ].map((write) => checkCorrections([usage, { ...usage, id: 'k2', externalId: 'E2', quantity: -4, correctsId: 'k1' }], [write]).get(write.id)!),
      // Exchange vouchers (POS-21).
      errorOf(redeemVoucher(null, 'CX01-7', 's', 100)),
      errorOf(redeemVoucher({ number: 'CX01-7', issuedCents: 500, saleId: 'e', void: true, redemptions: new Map() }, 'CX01-7', 's', 100)),
      errorOf(redeemVoucher({ number: 'CX01-7', issuedCents: 500, saleId: 'e', void: false, redemptions: new Map([['a', 400]]) }, 'CX01-7', 's', 200)),
      errorOf(voucherPaymentProblem({ payments: [{ paymentTypeId: 'pt-cash', amountCents: 1, voucherNumber: 'CX01-7' }] }, paymentTypes)),
    ];
    // Each code is raised here by the rule that owns it, with the parameters that rule really passes.
    expect(new Set(raised.map((error) => error.code))).toEqual(new Set(RULE_ERROR_CODES));
    for (const error of raised) {
      const text = ruleMessagePtBr(error);
      expect(text, error.code).not.toMatch(UNFILLED);
      // A misnamed amount would not say "undefined" but "R$ 0,00": every amount the rule passed is in the text.
      for (const [name, value] of Object.entries(error.params ?? {})) {
        if (name.endsWith('Cents')) expect(text, `${error.code}.${name}`).toContain(formatBrl(Number(value)));
      }
    }
  });

  it('a text whose parameters are missing is caught: the check above would fail on it', () => {
    expect(ruleMessagePtBr({ code: 'unknown_product', message: '', params: {} })).toMatch(UNFILLED);
    const misnamed = ruleMessagePtBr({ code: 'insufficient_payment', message: '', params: { paid: 4000, dueCents: 4449, missingCents: 449 } });
    expect(misnamed).not.toContain(formatBrl(4000));
  });

  it('English users get the English message', () => {
    const error = refusals[8]!;
    expect(ruleMessage(error, 'en')).toBe('R$ 40,00 paid of R$ 44,49 due. Add a payment for the remaining R$ 4,49.');
    expect(ruleMessage(error, 'pt-BR')).toBe(ruleMessagePtBr(error));
  });
});
