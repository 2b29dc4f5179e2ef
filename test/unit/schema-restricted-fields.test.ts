import { describe, expect, it } from 'vitest';
import { restrictedFieldChanged } from '../../sync/schema/index.ts';

/** The registry's restricted fields (sync/schema/registry.ts), as every write path applies them. */
describe('restricted fields', () => {
  const customer = { id: 'c-1', name: 'Ana', active: true };

  it('BO-01 a cashier may register and edit a customer but not deactivate one; the refusal names the field and the registry\'s rule', () => {
    expect(restrictedFieldChanged('customers', ['cashier'], customer, undefined)).toBeNull();
    expect(restrictedFieldChanged('customers', ['cashier'], { ...customer, name: 'Ana Maria' }, customer)).toBeNull();
    expect(restrictedFieldChanged('customers', ['cashier'], { ...customer, active: false }, customer)).toEqual({
      field: 'active',
      rule: 'only the back office deactivates or reactivates a customer',
    });
    expect(restrictedFieldChanged('customers', ['cashier'], { ...customer, active: false, deactivationReason: 'x' }, undefined)?.field).toBe('active');
  });

  it('BO-01 the back office and the admin may set them; a collection without restricted fields is never refused', () => {
    expect(restrictedFieldChanged('customers', ['backoffice'], { ...customer, active: false }, customer)).toBeNull();
    expect(restrictedFieldChanged('customers', ['admin'], { ...customer, active: false }, customer)).toBeNull();
    expect(restrictedFieldChanged('products', ['cashier'], { id: 'p-1', active: false }, { id: 'p-1', active: true })).toBeNull();
  });
});
