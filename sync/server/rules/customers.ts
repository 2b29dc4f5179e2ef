import type { Customer } from '../../schema/index.ts';
import { isValidTaxId } from '../../rules/index.ts';
import type { BusinessRule } from './rule.ts';

export const customersRule: BusinessRule<Customer> = {
  check(customer) {
    if (customer._deleted || isValidTaxId(customer.taxId)) return null;
    return { reason: 'invalid_tax_id', message: `CPF/CNPJ ${customer.taxId} of customer ${customer.id} has wrong check digits. Correct it and save again.` };
  },
};
