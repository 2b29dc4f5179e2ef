import { allowedTransitions, isContractState, type ContractState } from './contract-state.ts';
import { allowedOrderActions, isOrderState, ORDER_TRANSITIONS, type OrderState } from './order-state.ts';
import { formatBrl } from './money.ts';
import type { RuleError, RuleErrorCode } from './result.ts';

/**
 * The station's UI is pt-BR by default: each refusal code gets its Portuguese text here, next to the
 * rule that raises it, so a new code cannot ship without one (the Record type requires every code).
 * English comes from `RuleError.message`.
 */
type Params = Readonly<Record<string, string | number>>;

const STATE_PT: Record<ContractState, string> = {
  draft: 'rascunho',
  active: 'ativo',
  inactive: 'inativo',
  suspended: 'suspenso',
  cancelled: 'cancelado',
};

const brl = (value: string | number | undefined) => formatBrl(Number(value ?? 0));
/** 2026-11-15 → 15/11/2026 and 2026-11 → 11/2026, as Brazil writes days and months; anything else unchanged. */
const dayPt = (value: string | number | undefined) => String(value ?? '').replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$3/$2/$1').replace(/^(\d{4})-(\d{2})$/, '$2/$1');

const ORDER_STATE_PT: Record<OrderState, string> = { new: 'novo', paid: 'pago', invoiced: 'faturado', shipped: 'enviado', delivered: 'entregue', cancelled: 'cancelado' };

/** An e-commerce order's refused move (sync/rules/order-state.ts). */
function orderTransitionPt(from: string, to: string): string {
  if (!isOrderState(from) || !isOrderState(to)) return 'Esta mudança de situação do pedido não é permitida.';
  const next = allowedOrderActions(from).map((action) => ORDER_STATE_PT[ORDER_TRANSITIONS[from][action]!]);
  const what = `Um pedido ${ORDER_STATE_PT[from]} não pode passar a ${ORDER_STATE_PT[to]}.`;
  return next.length > 0 ? `${what} Situações possíveis: ${next.join(', ')}.` : `${what} A situação ${ORDER_STATE_PT[from]} é final.`;
}

function transitionPt(p: Params): string {
  const from = String(p.from);
  const to = String(p.to);
  if (p.subject === 'order') return orderTransitionPt(from, to);
  if (!isContractState(from) || !isContractState(to)) return 'Esta mudança de situação do contrato não é permitida.';
  if (from === 'cancelled') return 'Contrato cancelado não pode mudar. Crie um novo contrato.';
  const what = from === to ? `O contrato já está ${STATE_PT[to]}.` : `Um contrato ${STATE_PT[from]} não pode passar a ${STATE_PT[to]}.`;
  return `${what} Situações possíveis: ${allowedTransitions(from).map((state) => STATE_PT[state]).join(', ')}.`;
}

/** The rules' field names (params.field of invalid_value) as the screens label them. */
const FIELD_PT: Record<string, string> = { date: 'data', effectiveDate: 'data de efeito', quantity: 'quantidade', contractId: 'contrato', serviceId: 'serviço', externalId: 'ID externo' };

const ACTION_PT: Record<string, string> = { activate: 'ativar', deactivate: 'desativar', suspend: 'suspender', resume: 'retomar', cancel: 'cancelar' };

/** BO-04 (sync/rules/consumption-corrections.ts): which side of the correction rule a write breaks. */
function uncoveredCorrectionPt(p: Params): string {
  if (p.kind === 'target') return `O consumo de correção ${p.record} não corrige um lançamento existente do mesmo contrato e serviço. Escolha o lançamento a corrigir.`;
  if (p.kind === 'exceeds') return `O consumo de correção ${p.record} retira mais do que o lançamento ${p.original} ainda conta (${p.counts}). Confira a quantidade.`;
  const taken = Number(p.takenBack) > 0 ? `, que retiram ${p.takenBack} no total` : '';
  const why = p.kind === 'removed' ? 'ele não pode ser removido enquanto elas existirem' : p.kind === 'moved' ? 'elas corrigem outro contrato ou serviço, que ele deixaria de ser' : 'com a nova quantidade ele contaria menos do que elas retiram';
  return `O consumo ${p.record} tem correções (${p.corrections}${taken}): ${why}. Altere ou remova essas correções antes e salve de novo.`;
}

const MESSAGES: Record<RuleErrorCode, (p: Params) => string> = {
  invalid_transition: transitionPt,
  reason_required: (p) => `Para ${ACTION_PT[String(p.action)] ?? 'mudar'} o contrato, informe o motivo.`,
  invalid_value: (p) => `Valor inválido${p.field ? ` no campo ${FIELD_PT[String(p.field)] ?? p.field}` : ''}. Corrija e salve de novo.`,
  billed_period: (p) => `O período ${dayPt(p.period)} já foi faturado para este contrato: o consumo não pode ser alterado nem removido. Lance um consumo de correção em um período aberto.`,
  contract_cancelled: (p) => `O contrato foi cancelado a partir de ${dayPt(p.cancelledOn)}; não é possível lançar consumo nessa data. Confira o contrato ou a data.`,
  uncovered_correction: uncoveredCorrectionPt,
  unknown_service: () => 'O serviço não faz parte deste contrato. Escolha um serviço do contrato ou inclua-o no contrato antes.',
  unknown_version: (p) => `A versão escolhida não pertence ao ambiente "${p.environment}". Recarregue o ambiente e escolha uma versão da lista.`,
  already_converted: (p) => `O ambiente "${p.environment}" já foi convertido; o orçamento não pode ser aprovado de novo.`,
  outdated_version: (p) => `O orçamento da versão ${p.version} não pode ser aprovado: o projeto mudou no software de projeto. Atualize o ambiente, confira o novo orçamento e aprove-o.`,
  outdated_budget: (p) => `O orçamento da versão ${p.version} de "${p.environment}" mudou depois de ser conferido para a aprovação (itens incluídos ou removidos à mão); agora o total é ${brl(p.totalCents)}. Confira os itens e aprove de novo.`,
  not_converted: (p) => `O ambiente "${p.environment}" só pode ser revisado depois de convertido e antes de a revisão terminar.`,
  not_released: (p) => `O contrato do ambiente "${p.environment}" ainda não foi liberado pelo financeiro. Peça a liberação e revise em seguida.`,
  not_in_review: (p) => `O ambiente "${p.environment}" não está em revisão. Inicie a revisão primeiro.`,
  review_outdated: (p) => `O ambiente "${p.environment}" tem alterações no software de projeto que não foram importadas. Atualize-o, confira os itens e finalize a revisão.`,
  review_finished: (p) => `A revisão do ambiente "${p.environment}" terminou e os pedidos de compra foram gerados; alterações de projeto não são mais aceitas. Abra uma ocorrência de assistência técnica.`,
  unknown_product: (p) => `Item ${p.line}: o produto ${p.productId} não está no catálogo deste caixa. Remova o item ou sincronize o caixa e tente de novo.`,
  invalid_line: (p) => `Item ${p.line} (${p.product}): a quantidade deve ser inteira e maior que zero, e os valores em centavos inteiros. Corrija o item.`,
  line_discount_too_large: (p) => `Item ${p.line} (${p.product}): o desconto de ${brl(p.discountCents)} é maior que o valor do item, ${brl(p.grossCents)}. Diminua o desconto.`,
  sale_discount_too_large: (p) => `O desconto de ${brl(p.discountCents)} é maior que o total da venda, ${brl(p.totalCents)}. Diminua o desconto.`,
  unknown_payment_type: (p) => `Pagamento ${p.payment}: esta forma de pagamento não existe neste caixa. Escolha outra ou sincronize o caixa.`,
  invalid_payment: (p) => `Pagamento ${p.payment} (${p.paymentType}): valor ou juros inválidos. Remova o pagamento e lance de novo.`,
  non_cash_overpayment: (p) => `Cartão e PIX somam ${brl(p.nonCashCents)}, mas só ${brl(p.dueCents)} está em aberto; troco só em dinheiro. Diminua o valor no cartão ou PIX.`,
  insufficient_payment: (p) => `Pago ${brl(p.paidCents)} de ${brl(p.dueCents)}. Lance mais um pagamento de ${brl(p.missingCents)}.`,
  voucher_unknown: (p) => `Vale-troca ${p.number ?? ''} não encontrado nesta estação. Confira o número; se foi emitido em outra estação agora há pouco, conecte ao servidor ou sincronize e tente de novo.`,
  voucher_void: (p) => `O vale-troca ${p.number ?? ''} foi anulado: a troca que o emitiu foi cancelada. Escolha outro pagamento.`,
  voucher_overspent: (p) => `O vale-troca ${p.number ?? ''} tem saldo de ${brl(p.balanceCents)}, menos que os ${brl(p.amountCents)} desta venda (foi usado em outra venda). Pague a diferença de outra forma.`,
  voucher_payment: (p) => `Pagamento ${p.payment ?? ''}: um pagamento com vale-troca precisa do número do vale, e só ele pode ter um.`,
};

export function ruleMessagePtBr(error: RuleError): string {
  return MESSAGES[error.code](error.params ?? {});
}

/** The text for the user's locale; anything but Portuguese gets the English message. */
export function ruleMessage(error: RuleError, locale: string): string {
  return locale.toLowerCase().startsWith('pt') ? ruleMessagePtBr(error) : error.message;
}
