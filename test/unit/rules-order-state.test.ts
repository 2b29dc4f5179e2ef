import { describe, expect, it } from 'vitest';
import { allowedOrderActions, applyOrderAction, ORDER_ACTIONS, ORDER_STATES, ORDER_STOCK_EFFECTS, ruleMessagePtBr, targetOf, type OrderAction, type OrderState } from '../../sync/rules/index.ts';

/** The whole table of the e-commerce order (API-04), written out so that any added or lost arrow fails a test. */
const EXPECTED: Record<OrderState, Partial<Record<OrderAction, OrderState>>> = {
  new: { pay: 'paid', cancel: 'cancelled' },
  paid: { invoice: 'invoiced', cancel: 'cancelled' },
  invoiced: { ship: 'shipped' },
  shipped: { deliver: 'delivered' },
  delivered: {},
  cancelled: {},
};

describe('e-commerce order state machine (API-04)', () => {
  it('API-04 allows exactly new → paid → invoiced → shipped → delivered, and cancel until invoiced', () => {
    for (const from of ORDER_STATES) {
      for (const action of ORDER_ACTIONS) {
        const result = applyOrderAction(from, action);
        expect([from, action, result.ok ? result.value : null]).toEqual([from, action, EXPECTED[from][action] ?? null]);
      }
      expect(allowedOrderActions(from)).toEqual(Object.keys(EXPECTED[from]));
    }
  });

  it('API-04 stock effects hang on pay (hold), invoice (commit) and cancel (release) only', () => {
    expect(ORDER_STOCK_EFFECTS).toEqual({ pay: 'hold', invoice: 'commit', cancel: 'release' });
    for (const action of ORDER_ACTIONS) expect(ORDER_STATES).toContain(targetOf(action));
  });

  it('API-04 a refused move says in English and Portuguese what is possible instead', () => {
    const refused = applyOrderAction('invoiced', 'cancel');
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.message).toBe('An order that is invoiced cannot cancel. From invoiced only these are possible: ship.');
    expect(ruleMessagePtBr(refused.error)).toBe('Um pedido faturado não pode passar a cancelado. Situações possíveis: enviado.');
    const final = applyOrderAction('delivered', 'ship');
    expect(final.ok ? '' : ruleMessagePtBr(final.error)).toBe('Um pedido entregue não pode passar a enviado. A situação entregue é final.');
  });
});
