import { ok, refuse, type RuleResult } from './result.ts';

/**
 * E-commerce order life cycle (API-04), written once and used by the server (and by any device that
 * ever shows orders). Stock effects hang on these transitions, not on requests, so a retried request
 * that finds the order already moved changes nothing a second time:
 *
 * | from \ action | pay  | invoice  | ship    | deliver   | cancel    |
 * |---------------|------|----------|---------|-----------|-----------|
 * | new           | paid | –        | –       | –         | cancelled |
 * | paid          | –    | invoiced | –       | –         | cancelled |
 * | invoiced      | –    | –        | shipped | –         | –         |
 * | shipped       | –    | –        | –       | delivered | –         |
 * | delivered     | –    | –        | –       | –         | –         |
 * | cancelled     | –    | –        | –       | –         | –         |
 *
 * Stock (ORDER_STOCK_EFFECTS): creating an order reserves its items (a reservation that lapses by
 * itself while the order is unpaid); `pay` holds the reservation until the order ends (no expiry);
 * `invoice` commits it (the goods leave the stock); `cancel` releases it. Cancelling is possible until
 * the order is invoiced: after that the goods have left and a return is another process.
 */
export const ORDER_STATES = ['new', 'paid', 'invoiced', 'shipped', 'delivered', 'cancelled'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const ORDER_ACTIONS = ['pay', 'invoice', 'ship', 'deliver', 'cancel'] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

/** The one table of the state machine: from a state, each allowed action and the state it leads to. */
export const ORDER_TRANSITIONS: Readonly<Record<OrderState, Readonly<Partial<Record<OrderAction, OrderState>>>>> = {
  new: { pay: 'paid', cancel: 'cancelled' },
  paid: { invoice: 'invoiced', cancel: 'cancelled' },
  invoiced: { ship: 'shipped' },
  shipped: { deliver: 'delivered' },
  delivered: {},
  cancelled: {},
};

/** What a transition does to the order's stock reservation. */
export type OrderStockEffect = 'hold' | 'commit' | 'release';
export const ORDER_STOCK_EFFECTS: Readonly<Partial<Record<OrderAction, OrderStockEffect>>> = { pay: 'hold', invoice: 'commit', cancel: 'release' };

export function isOrderState(value: unknown): value is OrderState {
  return typeof value === 'string' && (ORDER_STATES as readonly string[]).includes(value);
}

/** The actions allowed from a state, in table order. */
export function allowedOrderActions(from: OrderState): OrderAction[] {
  return ORDER_ACTIONS.filter((action) => ORDER_TRANSITIONS[from][action] !== undefined);
}

/** The state an action leads to from `from`, or a refusal naming the actions that are possible. */
export function applyOrderAction(from: OrderState, action: OrderAction): RuleResult<OrderState> {
  const to = ORDER_TRANSITIONS[from][action];
  if (to) return ok(to);
  const allowed = allowedOrderActions(from);
  const hint = allowed.length > 0 ? `From ${from} only these are possible: ${allowed.join(', ')}.` : `A ${from} order is final and cannot change.`;
  return refuse('invalid_transition', `An order that is ${from} cannot ${action}. ${hint}`, { subject: 'order', from, to: targetOf(action) });
}

/** The state an action aims at, whatever the current state (a retried action finds the order already there). */
export function targetOf(action: OrderAction): OrderState {
  const targets: Record<OrderAction, OrderState> = { pay: 'paid', invoice: 'invoiced', ship: 'shipped', deliver: 'delivered', cancel: 'cancelled' };
  return targets[action];
}
