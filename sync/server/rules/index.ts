import type { CollectionName } from '../../schema/index.ts';
import type { BusinessRule } from './rule.ts';
import { salesRule } from './sales.ts';
import { customersRule } from './customers.ts';
import { cashMovementsRule } from './cash-movements.ts';
import { designActionsRule } from './design-actions.ts';

export type { BusinessRule, Refusal, References, ReferenceRequest } from './rule.ts';

/** Collections without an entry accept every well-formed document. */
export const BUSINESS_RULES: Partial<Record<CollectionName, BusinessRule>> = {
  sales: salesRule as unknown as BusinessRule,
  customers: customersRule as unknown as BusinessRule,
  cashMovements: cashMovementsRule as unknown as BusinessRule,
  designActions: designActionsRule as unknown as BusinessRule,
};
