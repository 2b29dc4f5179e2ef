import type { CollectionName } from '../../schema/index.ts';
import type { BusinessRule } from './rule.ts';
import { salesRule } from './sales.ts';
import { backofficeRule, consumptionRule, customersRule } from '../backoffice/push-rules.ts';
import { cashMovementsRule } from './cash-movements.ts';

export type { BusinessRule, Refusal, References, ReferenceRequest } from './rule.ts';

/** Collections without an entry accept every well-formed document. */
export const BUSINESS_RULES: Partial<Record<CollectionName, BusinessRule>> = {
  sales: salesRule as unknown as BusinessRule,
  customers: customersRule as unknown as BusinessRule,
  cashMovements: cashMovementsRule as unknown as BusinessRule,
  backoffice: backofficeRule as unknown as BusinessRule,
  consumption: consumptionRule as unknown as BusinessRule,
};
