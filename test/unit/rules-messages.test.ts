import { describe, expect, it } from 'vitest';
import {
  RULE_ERROR_CODES,
  addVersion,
  approveBudget,
  computeSaleTotals,
  finishReview,
  ruleMessage,
  ruleMessagePtBr,
  settlePayments,
  startReview,
  transition,
  type DesignEnvironment,
  type RuleError,
  type RuleResult,
} from '../../sync/rules/index.ts';
import { NOW, paymentTypes, products } from './rules-fixtures.ts';

function errorOf<T>(result: RuleResult<T>): RuleError {
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

describe('refusal texts in pt-BR (UI default) and English', () => {
  const env: DesignEnvironment = { id: 'e', name: 'Cozinha', stage: 'negotiating', latestDesignRevision: 2, versions: [] };
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

  it('every refusal code has a Portuguese text without unfilled placeholders', () => {
    for (const code of RULE_ERROR_CODES) {
      const text = ruleMessagePtBr({ code, message: '', params: {} });
      expect(text.length).toBeGreaterThan(20);
    }
    for (const error of refusals) expect(ruleMessagePtBr(error)).not.toMatch(/undefined|NaN/);
  });

  it('English users get the English message', () => {
    const error = refusals[8]!;
    expect(ruleMessage(error, 'en')).toBe('R$ 40,00 paid of R$ 44,49 due. Add a payment for the remaining R$ 4,49.');
    expect(ruleMessage(error, 'pt-BR')).toBe(ruleMessagePtBr(error));
  });
});
