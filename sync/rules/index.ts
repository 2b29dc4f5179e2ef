/** Pure domain rules shared by station and server; see each module's header for the choices made. */
export * from './result.ts';
export * from './money.ts';
export * from './tax-id.ts';
export * from './pricing.ts';
export * from './promotions.ts';
export * from './sale-totals.ts';
export * from './payments.ts';
export * from './verify-sale.ts';
export * from './contract-state.ts';
export * from './budget-state.ts';
export * from './messages-pt-br.ts';
export * from './design-budget.ts';
